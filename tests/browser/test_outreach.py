"""A worker's day: open Today, log a door visit nobody answered, then a 45-minute talk."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_logs_an_attempt_then_a_conversation(browser_page, log_in, worker_a, person_a):
    from ibasho.outreach import services
    from ibasho.outreach.models import Cadence, OutreachPlan

    plan = OutreachPlan.objects.get(case__person=person_a)
    services.set_plan(
        plan,
        cadences={"door_visit": 14, "letter": 14},
        backoff_factor=Decimal("1.5"),
        backoff_ceiling_days=60,
        by=worker_a.user,
    )
    # One row per person: the most urgent channel leads, the other is folded into it.
    first = Cadence.objects.filter(plan=plan).most_urgent_first().first()
    other = "手紙" if first.channel == "door_visit" else "訪問"

    page = browser_page
    log_in(page, "worker_a")
    assert page.url.rstrip("/").endswith("/outreach") or "/outreach/" in page.url
    row = page.locator(f"#due-{first.code}")
    assert "インターホンは鳴らさない" in row.inner_text()  # things to avoid, in view
    assert other in row.locator(".also").inner_text()
    assert page.locator("#due-count").inner_text() == "1"  # one person
    page.shot("outreach-today-before")

    row.locator("button[type=submit]").first.click()
    page.wait_for_selector(f"#due-{first.code}.logged")
    page.shot("outreach-today-attempt-logged")

    page.goto(f"/outreach/people/{person_a.code}/contacts/new/?channel=door_visit")
    page.select_option("#id_reached", "person")
    page.select_option("#id_outcome", "face_to_face")
    page.fill("#id_duration_minutes", "45")
    page.fill("#id_note", "玄関先で45分。好きなゲームの話。")
    page.shot("outreach-contact-form")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    assert "0.8時間" in page.locator("#summary").inner_text()
    page.goto(f"/people/{person_a.code}/records/")
    assert page.locator("#trust-hours").inner_text().startswith("0.75")
    assert page.locator("#trust-attempts").inner_text() == "1"
    page.shot("outreach-person-trust")

    # The conversation at the door restarts every channel's clock: nothing is due today.
    page.goto("/outreach/")
    assert page.locator(".due-list tr[id^=due-]").count() == 0
    assert page.locator("#due-count").inner_text() == "0"
    page.shot("outreach-today-after")
