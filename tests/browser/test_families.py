import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_sees_a_fresh_hospitalisation_first_and_updates_the_plan(
    browser_page, log_in, coordinator_a, person_a, org_a
):
    from ibasho.families.models import ContingencyPlan, HouseholdCircumstances
    from ibasho.families.services import update_health
    from ibasho.people.models import FamilyMember, Household, Person
    from ibasho.people.services import open_case

    # A household with more signals, but nothing sudden: it must come second.
    HouseholdCircumstances.objects.create(
        organisation=org_a, household=person_a.household, income_stopping=True, violence=True
    )
    household = Household.objects.create(organisation=org_a, name="鈴木家", name_kana="スズキ")
    father = FamilyMember.objects.create(
        organisation=org_a,
        household=household,
        name="鈴木一郎",
        relationship="father",
        birth_year=1948,
    )
    person = Person.objects.create(
        organisation=org_a,
        family_name="鈴木",
        given_name="健",
        family_name_kana="すずき",
        household=household,
    )
    open_case(person, by=None)
    update_health(father, health="hospitalised", by=coordinator_a.user)

    page = browser_page
    log_in(page, "coordinator_a")
    page.get_by_role("link", name="世帯リスク一覧").click()
    page.wait_for_load_state()
    first = page.locator("ol.board > li").first
    assert "鈴木家" in first.inner_text()
    assert first.locator('[data-code="parent_hospitalised"]').inner_text() == "親が入院"
    page.shot("families-risk-board")

    first.get_by_role("link", name="鈴木家").click()
    page.wait_for_load_state()
    assert page.locator("#household-risk").is_visible()
    page.get_by_role("link", name="プランを作る").click()
    page.wait_for_load_state()
    page.fill("#id_who_to_notify", "叔母（川口市）090-0000-0000、地域包括支援センター")
    page.select_option("#id_public_assistance", "knows_how")
    page.fill("#id_abilities_and_wishes", "コンビニには一人で行ける。手続きは一緒にしてほしい。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "叔母（川口市）" in page.locator("#contingency-plan").inner_text()
    page.shot("families-household-plan")
    plan = ContingencyPlan.objects.get(household=household)
    assert plan.public_assistance == "knows_how"
    assert plan.last_reviewed_on == timezone.localdate()


def test_worker_takes_attendance_on_a_phone(browser_page, log_in, worker_a, person_a, org_a):
    from ibasho.outreach.models import Contact
    from ibasho.people.models import Person
    from ibasho.people.services import open_case
    from ibasho.programmes.models import Attendance, Programme, Session
    from ibasho.programmes.services import enrol

    programme = Programme.objects.create(
        organisation=org_a,
        kind="group_ibasho",
        name_ja="水曜の居場所",
        name_en="Wednesday ibasho",
        starts_at=dt.time(13, 0),
        duration_minutes=120,
        capacity=10,
    )
    session = Session.objects.create(
        organisation=org_a,
        programme=programme,
        date=timezone.localdate() - dt.timedelta(days=1),
        starts_at=dt.time(13, 0),
        duration_minutes=120,
    )
    other = Person.objects.create(
        organisation=org_a, family_name="佐藤", given_name="陽子", family_name_kana="さとう"
    )
    open_case(other, by=None)
    mine = enrol(programme, person=person_a, by=worker_a.user)
    theirs = enrol(programme, person=other, by=worker_a.user)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "worker_a")
    page.goto(f"/programmes/sessions/{session.code}/")
    row = page.locator(f"#row-{mine.code}")
    row.locator("button[value=attended]").click()
    page.wait_for_selector(f'#row-{mine.code} [data-status="attended"]')
    late = page.locator(f"#row-{theirs.code}")
    late.locator("input[name=minutes]").fill("45")
    late.locator("button[value=part]").click()
    page.wait_for_selector(f'#row-{theirs.code} [data-status="part"]')
    page.shot("programmes-attendance-phone")
    # the page fits the phone: nothing wider than the window
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    assert Attendance.objects.get(enrolment=mine).status == "attended"
    contacts = {c.person_id: c.duration_minutes for c in Contact.objects.all()}
    assert contacts == {person_a.pk: 120, other.pk: 45}
