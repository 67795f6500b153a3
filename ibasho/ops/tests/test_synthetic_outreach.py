import random

from ibasho.ops.synthetic.outreach import populate
from ibasho.outreach import services, trust
from ibasho.outreach.models import Contact, OutreachPlan, OutreachSettings, QuietPeriod
from ibasho.outreach.tests.test_today import make_person
from ibasho.people.models import Case, Person


def test_demo_histories_cover_the_hard_cases(org_a, worker_a):
    for n in range(40):
        make_person(org_a, worker_a, f"人{n}", opened_days_ago=random.Random(n).randint(400, 1500))
    today = org_a.today()
    populate(org_a, random.Random(7), today)
    plans = OutreachPlan.objects.filter(organisation=org_a)
    assert plans.count() == Case.objects.filter(organisation=org_a).count()
    assert all(plan.next_due_on is not None for plan in plans)
    assert QuietPeriod.objects.filter(organisation=org_a, until__gt=today).exists()
    # known only through the family: family contacts, letters, and never the person
    family_only = [
        p
        for p in Person.objects.filter(organisation=org_a)
        if p.contacts.filter(reached=Contact.Reached.FAMILY).exists()
        and not p.contacts.filter(reached=Contact.Reached.PERSON).exists()
    ]
    assert family_only
    people = Person.objects.filter(organisation=org_a).select_related("organisation")
    summaries = [services.trust_summary(p, today) for p in people]
    # The database's totals agree with the pure functions over every record of the history.
    zone = org_a.zone
    assert summaries == [
        trust.summarise(services.person_history(p).records, today, zone) for p in people
    ]
    assert any(s.first_response.attempts != s.attempts for s in summaries)
    assert any(s.months[0].two_way_hours != s.months[-1].two_way_hours for s in summaries)
    assert max(s.first_response.attempts for s in summaries if s.first_response.responded) >= 10
    assert any(s.milestone_reached for s in summaries)
    config = OutreachSettings.for_organisation(org_a)
    assert plans.at_risk(today, config).exists()


def test_the_same_seed_gives_the_same_histories(org_a, worker_a):
    make_person(org_a, worker_a, "一", opened_days_ago=900)
    today = org_a.today()
    populate(org_a, random.Random(3), today)
    first = list(Contact.objects.order_by("occurred_at").values_list("occurred_at", "channel"))
    Contact.objects.all().delete()
    QuietPeriod.objects.all().delete()
    populate(org_a, random.Random(3), today)
    assert (
        list(Contact.objects.order_by("occurred_at").values_list("occurred_at", "channel")) == first
    )
