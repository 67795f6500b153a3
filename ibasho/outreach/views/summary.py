"""What outreach adds to the person's summary and visit card: the stage, the trust figures,
a handover to read, the latest contacts and their next steps. A fixed number of queries."""

from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from ibasho.accounts.http import MemberRequest
from ibasho.lib.panels import Action, Fact
from ibasho.outreach import services
from ibasho.outreach.models import Handover
from ibasho.people.models import Person


def person_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    stage = person.stage_changes.first()
    summary = services.trust_summary(person, membership.organisation.today())
    code = person.code
    facts = [
        Fact(
            _("Stage"),
            stage.get_stage_display() if stage else _("No stage recorded yet."),
            reverse("people:person_records", args=[code]) + "#stage",
        ),
        Fact(
            _("Trust"),
            _("%(hours)s h with the person · %(n)s of the last %(m)s weeks with a two-way contact")
            % {
                "hours": floatformat(summary.two_way_hours, "-1"),
                "n": summary.consistent_weeks,
                "m": summary.consistency_weeks,
            },
            reverse("people:person_records", args=[code]) + "#trust",
        ),
    ]
    unseen = Handover.objects.filter(case__person=person, seen_at__isnull=True).count()
    if unseen:
        facts.insert(
            0,
            Fact(
                _("Handover"),
                _("A handover note to read first"),
                reverse("people:person_records", args=[code]),
                warn=True,
            ),
        )
    actions = [
        Action(_("Record contact"), reverse("outreach:contact_create", args=[code]), True),
        Action(_("Book a visit or a call"), reverse("outreach:booking_create", args=[code])),
    ]
    return {"facts": facts, "actions": actions}


def visit_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    contacts = list(person.contacts.all()[:3])
    steps = [c.next_step for c in contacts if c.next_step]
    facts = [Fact(_("Next step"), steps[0])] if steps else []
    return {"facts": facts, "contacts": contacts}
