import pytest

from conftest import make_member
from ibasho.people import restriction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_opens_a_restricted_person_only_by_breaking_the_glass(
    browser_page, log_in, org_a, person_a, coordinator_a
):
    make_member(org_a, "colleague", "worker")
    restriction.restrict(person_a, by=coordinator_a.user, reason="hiding")
    page = browser_page
    log_in(page, "colleague")
    # Not in the list or the search…
    page.goto("/people/?q=やまだ&status=all")
    assert "山田" not in page.locator("main").inner_text()
    # …and the page itself asks for a reason before showing anything.
    page.goto(f"/people/{person_a.code}/")
    assert "山田" not in page.content()
    page.shot("break-the-glass")
    page.fill("#id_reason", "本人から緊急の電話があり、状況の確認が必要")
    page.get_by_role("button", name="緊急閲覧で開く").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("山田 太郎")
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_load_state()
    # The coordinator sees it at once: a badge in the header and the item in the inbox.
    log_in(page, "coordinator_a")
    badge = page.locator("header a.inbox .badge")
    assert badge.inner_text() == "1"
    page.locator("header a.inbox").click()
    page.wait_for_load_state()
    item = page.locator("li.unread").first
    assert "Colleague" in item.inner_text()
    assert "緊急の電話" in item.inner_text()
    page.shot("coordinator-inbox")
    item.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("山田 太郎")
    assert page.locator("header a.inbox .badge").count() == 0
