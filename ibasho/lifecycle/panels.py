"""What lifecycle adds to Today (breach report deadlines, shredding waiting for a decision)
and to the person page (a suspension in force)."""

from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.lib.prepared import ORGANISATION, PERSON, Prepared
from ibasho.lifecycle.breach import open_deadlines
from ibasho.lifecycle.models import PersonRequest, ShreddingBatch
from ibasho.people.models import Person


def today_panel(request: MemberRequest) -> dict[str, Any] | None:
    """For organisation admins only; hidden when nothing waits."""
    membership = request.membership
    if not membership.is_admin:
        return None
    today = membership.organisation.today()
    deadlines = [
        {"incident": incident, "which": which, "due": due, "late": due < today}
        for incident, which, due in open_deadlines(membership.organisation_id, today)
    ]
    batches = ShreddingBatch.objects.filter(
        organisation_id=membership.organisation_id, status=ShreddingBatch.Status.PREVIEW
    )
    if not deadlines and not batches:
        return None
    return {"deadlines": deadlines, "batches": list(batches), "today": today}


# Read on every view of the person: compiled once (ibasho.lib.prepared).
_SUSPENSION = Prepared(
    PersonRequest,
    lambda: PersonRequest.objects.filter(
        organisation_id=ORGANISATION,
        person_id=PERSON,
        kind=PersonRequest.Kind.SUSPENSION,
        status=PersonRequest.Status.OPEN,
    ).order_by("pk")[:1],
)


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    suspension = _SUSPENSION.first(organisation=person.organisation_id, person=person.pk)
    is_admin = request.membership.is_admin
    if suspension is None and not is_admin:
        return None
    return {"suspension": suspension, "is_admin": is_admin, "person": person}
