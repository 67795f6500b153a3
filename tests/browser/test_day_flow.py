"""A worker's day on a phone (390 × 844, Japanese): plan tomorrow, then live it.

Yesterday the worker books a door visit for 14:00 today. Today the visit leads "Your day" at the
top of Today; the worker records a 60-minute face-to-face meeting with a note, after which the
phone call that was due for the same person is no longer asked for; the note reads in the
person's timeline; and a "no answer" tapped by mistake for someone else is undone.

The clock: "yesterday" is the server's clock turned back one day (django.utils.timezone.now,
which Organisation.today and every default of "now" read; the live server runs in this process).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(chromium, live_server):  # type: ignore[no-untyped-def]
    from tests.browser.conftest import SCREENSHOTS

    contexts = []

    def open_():  # type: ignore[no-untyped-def]
        context = chromium.new_context(
            locale="ja-JP", viewport=PHONE, base_url=live_server.url, is_mobile=True,
            has_touch=True,
        )  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.shot = lambda name: page.screenshot(
            path=str(SCREENSHOTS / f"day-flow-{name}.png"), full_page=True
        )
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    real = timezone.now

    def set_offset(days: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real() + dt.timedelta(days=days))

    return set_offset


def plan(person, worker, cadences):  # type: ignore[no-untyped-def]
    from ibasho.outreach import services
    from ibasho.outreach.models import OutreachPlan

    services.set_plan(
        OutreachPlan.objects.get(case__person=person),
        cadences=cadences,
        backoff_factor=Decimal("1.5"),
        backoff_ceiling_days=42,
        by=worker.user,
    )


def test_a_worker_plans_tomorrow_then_lives_the_day(
    phone_page, log_in, clock, org_a, worker_a, person_a
):
    from ibasho.outreach.models import Cadence
    from ibasho.people.models import Person
    from ibasho.people.services import open_case

    # Another person of the worker's, with a phone call due: the one tapped by mistake.
    other = Person.objects.create(
        organisation=org_a, family_name="佐藤", given_name="花子", family_name_kana="さとう"
    )
    open_case(other, by=worker_a.user, worker=worker_a.user)

    # -- yesterday: book a door visit for tomorrow at 14:00 -------------------------------
    clock(-1)
    plan(person_a, worker_a, {"phone": 7, "door_visit": 28})
    plan(other, worker_a, {"phone": 7})
    today = org_a.today() + dt.timedelta(days=1)
    page = phone_page()
    log_in(page, "worker_a")
    page.goto(f"/people/{person_a.code}/")
    page.click(f"a[href='/outreach/people/{person_a.code}/book/']")
    page.wait_for_load_state()
    assert page.input_value("#id_day") == today.isoformat()  # tomorrow, offered first
    page.fill("#id_time", "14:00")
    page.select_option("#id_channel", "door_visit")
    page.fill("#id_note", "玄関先で少し話す約束")
    page.shot("1-booking")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    assert "予定を入れました" in page.inner_text(".messages")
    page.goto("/outreach/week/")
    assert "14:00" in page.inner_text("main")
    page.shot("2-week-ahead")

    # -- today: the visit leads the day --------------------------------------------------
    clock(0)
    page = phone_page()
    log_in(page, "worker_a")
    page.goto("/outreach/")
    day = page.locator("#day-plan")
    first = day.locator(".agenda li").first
    assert "14:00" in first.inner_text()
    assert "山田" in first.inner_text()
    # The phone call is due for both people before the visit.
    phone_a = Cadence.objects.get(plan__case__person=person_a, channel="phone")
    phone_other = Cadence.objects.get(plan__case__person=other, channel="phone")
    rows = page.locator(".due-list tr[id^=due-]")
    assert rows.count() == 2
    page.shot("3-today-morning")

    # The visit: 60 minutes face to face, with a note, recorded from the person's page.
    first.locator("a").first.click()
    page.wait_for_load_state()
    page.goto(f"/outreach/people/{person_a.code}/contacts/new/?channel=door_visit")
    if page.locator("#id_channel").count():
        page.select_option("#id_channel", "door_visit")
    page.select_option("#id_reached", "person")
    page.select_option("#id_outcome", "face_to_face")
    page.fill("#id_duration_minutes", "60")
    page.fill("#id_note", "玄関先で60分。来週は図書館の話をする。")
    page.shot("4-visit-form")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()

    # No phone nag for that person any more; the other person's call is still due.
    page.goto("/outreach/")
    assert page.locator(f"#due-{phone_a.code}").count() == 0
    assert page.locator(".due-list tr[id^=due-]").count() == 1
    page.shot("5-today-after-visit")

    # The note reads in the timeline.
    page.goto(f"/people/{person_a.code}/timeline/")
    assert "来週は図書館の話をする" in page.inner_text("main")
    page.shot("6-timeline")

    # A "no answer" tapped by mistake, then undone.
    page.goto("/outreach/")
    row = page.locator(f"#due-{phone_other.code}")
    row.locator("button", has_text="応答なし").click()
    page.wait_for_selector(f"#due-{phone_other.code}.logged")
    page.shot("7-no-answer-logged")
    page.locator(f"#due-{phone_other.code} button", has_text="取り消す").click()
    page.wait_for_selector(f"#due-{phone_other.code}:not(.logged)")
    assert page.locator(f"#due-{phone_other.code} button", has_text="応答なし").count() == 1
    page.shot("8-no-answer-undone")
    phone_other.refresh_from_db()
    assert phone_other.unanswered == 0
