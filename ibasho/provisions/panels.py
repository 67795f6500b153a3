"""The person page's panel: the person's provision and receipt records."""

from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.people.models import Person
from ibasho.provisions.models import ProvisionRecord

SHOWN = 5


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    records = ProvisionRecord.objects.visible_to(request.membership).about(person)
    latest = list(records.select_related("actor")[: SHOWN + 1])
    return {"person": person, "records": latest[:SHOWN], "more": len(latest) > SHOWN}
