from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.lib.prepared import PERSON, Prepared
from ibasho.people.models import Person
from ibasho.provisions.items import ItemGroup, labels
from ibasho.referrals import access
from ibasho.referrals.consent import sharing_allowed
from ibasho.referrals.models import ReceivedHistory, Referral

# Read on every view of the person: compiled once (ibasho.lib.prepared).
_RECEIVED = Prepared(
    ReceivedHistory,
    lambda member: (
        ReceivedHistory.objects.visible_to(member).filter(person_id=PERSON).order_by("pk")[:1]
    ),
    per_member=True,
)


def before_us_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """On a person received with a referral: where they came from, the trust figures "before
    us", the shared history, and whether the person has since withdrawn their consent."""
    membership = request.membership
    found = _RECEIVED.first(membership=membership, person=person.pk)
    if found is None:
        return None
    referral = access.incoming(membership).filter(code=found.referral_code).first()
    withdrawn = None
    if referral is not None:
        decision = sharing_allowed(
            referral.person, membership.organisation, referral.items,
            on=membership.organisation.today(),
        )  # fmt: skip
        withdrawn = decision.withdrawn_on
    history = found.history or {}
    names = dict(ItemGroup.choices)
    return {
        "h": found,
        "groups": labels(found.items),
        "history": [(str(names[g]), history[g]) for g in ItemGroup.values if g in history],
        "withdrawn_on": withdrawn,
    }


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """The person's referrals from here, and the way to refer them."""
    membership = request.membership
    referrals = (
        access.outgoing(membership)
        .filter(person=person)
        .select_related("recipient_organisation")
        .order_by("-sent_on", "-id")
    )
    return {"person": person, "referrals": list(referrals), "State": Referral.State}
