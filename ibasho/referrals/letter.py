"""The printable referral letter (紹介状): Japanese, A4, with the person's export limited to
the shared item groups embedded as a file when the consent covers it at printing time."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from ibasho.audit.services import record_audit
from ibasho.exchange.person import disclosure
from ibasho.lib.pdf import html_to_pdf
from ibasho.provisions.items import ItemGroup, labels
from ibasho.referrals.consent import sharing_allowed
from ibasho.referrals.models import Referral
from ibasho.referrals.shared import preview

# Which records of the per-person export belong to each item group.
GROUP_MODELS: dict[str, set[str]] = {
    ItemGroup.PROFILE: {"people.Person", "people.Consent"},
    ItemGroup.CONTACTS: {"outreach.Contact", "outreach.StageChange"},
    ItemGroup.INSTRUMENTS: {
        "outcomes.Administration", "outcomes.KatoAssessment", "outcomes.RecoveryRating",
    },
    ItemGroup.FAMILY: {
        "people.Household", "people.FamilyMember", "families.ContingencyPlan",
        "families.HouseholdCircumstances", "families.BehaviourChange",
    },
    ItemGroup.SAFETY: {"families.SafetyEvent"},
}  # fmt: skip


def shared_export(referral: Referral) -> bytes:
    """The per-person export (ibasho.exchange) of the shared groups only, as JSON; no audit
    trail (it is the organisation's own record of its staff)."""
    allowed = set().union(*(GROUP_MODELS[i] for i in referral.items))
    found = disclosure(referral.person)
    found.sections = [s for s in found.sections if s.model in allowed]
    found.audit = []
    content = found.as_json()
    content["items"] = list(referral.items)
    content["referral"] = referral.reference
    return json.dumps(content, ensure_ascii=False, indent=1).encode()


def letter_pdf(referral: Referral, *, by: Any) -> bytes:
    """The letter, checked against the consent now: without a basis in force, no letter."""
    person = referral.person
    today = referral.organisation.today()
    decision = sharing_allowed(
        person, referral.recipient_organisation, referral.items, on=today,
        meeting_code=referral.meeting_code,
    )  # fmt: skip
    if not decision.allowed:
        raise ValidationError({"basis": decision.reason})
    if referral.state not in (Referral.State.PENDING, Referral.State.ACCEPTED):
        raise ValidationError({"state": "closed"})
    with translation.override("ja"):
        html = render_to_string(
            "referrals/pdf/letter.html",
            {
                "r": referral,
                "person": person,
                "today": today,
                "groups": labels(referral.items),
                "shared": preview(person, referral.items),
                "decision": decision,
            },
        )
        name = f"ibasho-referral-{referral.reference}.json"
        content = html_to_pdf(html, attachments=[(name, shared_export(referral))])
    record_audit(
        "referrals.letter.printed", by=by.user, target=referral, person=person,
        fields=list(referral.items),
    )  # fmt: skip
    return content
