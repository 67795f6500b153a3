"""The safety flow on a phone, in Japanese: a worker records an imminent danger, the coordinator
is told (inbox badge and e-mail) and records the follow-up; the banner goes."""

import pytest
from django.core import mail

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def test_an_imminent_danger_reaches_the_coordinator_who_follows_it_up(
    browser_page, chromium, live_server, log_in, worker_a, coordinator_a, person_a, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coordinator_a.user.email = "coordinator@example.org"
    coordinator_a.user.save()
    person_url = f"/people/{person_a.code}/"

    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, "worker_a")
    page.goto(person_url)
    page.get_by_role("link", name="安全に関する出来事を記録").click()
    page.wait_for_load_state()
    # No kind or urgency is chosen for the worker.
    assert page.locator("#id_kind").input_value() == ""
    assert page.locator("#id_severity").input_value() == ""
    page.select_option("#id_kind", "suicide_risk")
    page.select_option("#id_severity", "3")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    # Immediate danger: what happened is required.
    assert "差し迫った危険があるため" in page.content()
    page.fill("#id_description", "「もう消えたい」と話した。母親が見守っている。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "コーディネーターに知らせました" in page.content()
    assert page.locator("#safety-panel").is_visible()
    page.shot("safety-worker-recorded-phone")
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    assert "消えたい" not in mail.outbox[0].body + mail.outbox[0].subject

    context = chromium.new_context(locale="ja-JP", viewport=PHONE, base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(15_000)
    log_in(other, "coordinator_a")
    badge = other.locator("#inbox-count [data-unread]")
    assert badge.inner_text().strip() == "1"
    other.goto("/notifications/")
    assert "安全に関する出来事" in other.locator("main").inner_text()
    other.screenshot(path=str(SCREENSHOTS / "safety-coordinator-inbox-phone.png"), full_page=True)
    other.goto(person_url)
    panel = other.locator("#safety-panel")
    assert panel.is_visible()
    panel.get_by_role("link", name="フォローアップを記録").click()
    other.wait_for_load_state()
    other.fill("#id_resolution", "本人と電話で話し、主治医に連絡した。明日訪問する。")
    other.get_by_role("button", name="保存").click()
    other.wait_for_load_state()
    assert "フォローアップを記録しました" in other.content()
    assert other.locator("#safety-panel").count() == 0
    assert other.evaluate("document.documentElement.scrollWidth") <= 390
    other.screenshot(path=str(SCREENSHOTS / "safety-followed-up-phone.png"), full_page=True)
    context.close()
