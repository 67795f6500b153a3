"""The person summary's trust figures are those of the full trust panel, read more cheaply."""

import datetime as dt

import pytest
from django.utils import timezone

from ibasho.lib.prepared import together
from ibasho.outreach import services
from ibasho.outreach.models import Contact
from ibasho.outreach.views.summary import trust_figures_of, trust_queries

pytestmark = pytest.mark.django_db

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


@pytest.mark.parametrize("days", [[], [0], [1, 2, 9, 40, 83, 84, 85, 400], [6, 7, 13, 14]])
def test_the_summary_agrees_with_the_trust_summary(person_a, worker_a, days):
    for n in days:
        services.record_contact(
            person_a, by=worker_a.user, occurred_at=timezone.now() - dt.timedelta(days=n),
            channel=C.PHONE, reached=R.PERSON, outcome=OC.SPOKE_BY_PHONE, duration_minutes=25,
        )  # fmt: skip
        services.record_contact(
            person_a, by=worker_a.user, occurred_at=timezone.now() - dt.timedelta(days=n, hours=1),
            channel=C.LETTER, outcome=OC.NO_RESPONSE, duration_minutes=5,
        )  # fmt: skip
    organisation = person_a.organisation
    today = organisation.today()
    full = services.trust_summary(person_a, today)
    found = together(*trust_queries(person_a, today, organisation.zone))
    assert trust_figures_of(found, today, organisation.zone) == (
        full.two_way_hours, full.consistent_weeks,
    )  # fmt: skip
