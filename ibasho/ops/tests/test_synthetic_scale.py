"""The scale loader: the shape of the data, and plan state that matches what the app itself
computes from each history."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from ibasho.accounts.models import Organisation
from ibasho.ops.synthetic import scale
from ibasho.ops.synthetic.histories import LONG_HISTORY, history_sizes, one_history
from ibasho.outreach import services
from ibasho.outreach.models import Cadence, Contact, OutreachPlan
from ibasho.people.models import Person

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def small_scale(db, monkeypatch):
    monkeypatch.setitem(
        scale.SCALES, "tiny", scale.Scale(organisations=2, people=240, contacts=6_000)
    )
    return scale.load("tiny", seed=3, today=TODAY, progress=False)


def test_loads_every_organisation_with_staff_people_and_history(small_scale):
    assert small_scale == {
        "organisations": 2,
        "people": 240,
        "contacts": Contact.objects.count(),
        "staff": 2 * 5,
    }
    for organisation in Organisation.objects.all():
        assert Person.objects.filter(organisation=organisation).count() == 120
        # the long history the person-page benchmark needs
        longest = (
            Contact.objects.filter(organisation=organisation)
            .values("person")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        assert longest["n"] >= LONG_HISTORY


def test_histories_look_like_the_field(small_scale):
    people = Person.objects.count()
    ages = [p.age_on(TODAY) for p in Person.objects.all()]
    assert min(ages) >= 15 and max(ages) <= 64
    assert sum(a >= 40 for a in ages) / people > 0.4
    assert 0.25 < Person.objects.filter(gender="female").count() / people < 0.5
    never_answered = OutreachPlan.objects.filter(last_two_way_on__isnull=True).count()
    assert 0.2 < never_answered / people < 0.6  # family-only cases and people still knocked on
    first_replies = []
    for person in Person.objects.all()[:60]:
        outcomes = list(
            Contact.objects.filter(person=person)
            .order_by("occurred_at", "id")
            .values_list("reached", "outcome")
        )
        answered = [i for i, (r, o) in enumerate(outcomes) if Contact.counts_as_two_way(r, o)]
        if answered:
            first_replies.append(answered[0])
    assert sum(first_replies) / len(first_replies) > 3  # many attempts before a first reply


def test_plan_state_is_what_the_app_would_compute(small_scale, monkeypatch):
    monkeypatch.setattr(Organisation, "today", lambda organisation: TODAY)
    loaded = {c.pk: (c.last_on, c.unanswered, c.next_due_on) for c in Cadence.objects.all()}
    for plan in OutreachPlan.objects.select_related("case__person", "case__organisation")[:40]:
        services.refresh_plan(plan)
    for cadence in Cadence.objects.filter(plan__in=OutreachPlan.objects.all()[:40]):
        assert (cadence.last_on, cadence.unanswered, cadence.next_due_on) == loaded[cadence.pk]


def test_same_seed_same_history():
    def history(seed):
        return one_history(
            random.Random(seed),
            person_id=1,
            organisation_id=1,
            staff_id=None,
            start=dt.date(2024, 1, 1),
            today=TODAY,
            size=50,
            family_only=False,
            zone=ZoneInfo("Asia/Tokyo"),
        )

    assert history(5) == history(5)
    assert history(5) != history(6)
    assert history_sizes(random.Random(1), 30, 600) == history_sizes(random.Random(1), 30, 600)
