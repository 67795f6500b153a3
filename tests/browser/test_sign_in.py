import logging
import time

import pyotp
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_enrols_an_authenticator_and_signs_in_with_it(
    browser_page, log_in, coordinator_a, person_a
):
    from conftest import PASSWORD

    page = browser_page
    log_in(page, "coordinator_a")
    page.get_by_role("link", name="アカウント").click()
    page.get_by_role("link", name="2段階認証を設定する").click()
    page.wait_for_load_state()
    assert page.locator("#totp-qr svg").is_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").get_attribute("data-secret"))
    page.shot("second-factor-enrolment")
    page.fill("#id_code", totp.now())
    page.get_by_role("button", name="確認").click()
    page.wait_for_load_state()
    assert page.locator("#recovery-codes li").count() == 10
    page.shot("second-factor-recovery-codes")
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_load_state()

    page.fill("#id_username", "coordinator_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url.endswith("/login/code/")
    page.goto(f"/people/{person_a.code}/")
    assert page.url.endswith("/login/code/")  # nothing before the code
    page.shot("second-factor-code")
    page.fill("#id_code", totp.at(time.time() + 30))  # the enrolment's code is spent
    page.get_by_role("button", name="確認").click()
    page.wait_for_load_state()
    assert page.url.endswith("/outreach/")


def wait_for_the_idle_warning(page, log_in, settings):  # type: ignore[no-untyped-def]
    settings.IBASHO_IDLE_TIMEOUT_SECONDS = 6  # instead of the organisation's 30 minutes
    log_in(page, "worker_a")
    page.goto("/people/")
    page.locator("#idle-warning").wait_for(state="visible", timeout=10_000)


def test_an_idle_session_warns_then_ends(browser_page, log_in, worker_a, settings):
    page = browser_page
    wait_for_the_idle_warning(page, log_in, settings)
    page.shot("idle-warning")
    page.wait_for_url("**/login/?ended=1*", timeout=15_000)
    assert page.locator("#session-ended").is_visible()
    page.goto("/people/")
    assert "/login/" in page.url


def test_staying_signed_in_from_the_warning(browser_page, log_in, worker_a, settings):
    page = browser_page
    wait_for_the_idle_warning(page, log_in, settings)
    page.get_by_role("button", name="ログインしたままにする").click()
    page.wait_for_timeout(3_000)  # past the first deadline
    page.goto("/people/")
    assert page.url.endswith("/people/")


def test_pages_run_with_no_policy_violation(browser_page, log_in, admin_a, person_a):
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    log_in(page, "admin_a")
    for path in (
        "/people/",
        f"/people/{person_a.code}/",
        "/staff/",
        "/account/tokens/",
        "/api/v1/docs",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # htmx still works under the policy: the search box filters the list.
    page.goto("/people/")
    page.fill("#id_q", "山田")
    page.wait_for_timeout(800)
    assert "山田" in page.locator("#person-rows").inner_text()
    assert not violations


def test_no_name_reaches_the_logs(browser_page, log_in, worker_a, person_a):
    """The logs as configured (the console handler the server writes to), during a browser
    session that searches for a person by name and opens their page."""
    import io

    console = [h for h in logging.getLogger().handlers if h.filters]
    assert console, "the console handler with its query-string filter is configured"
    written = io.StringIO()
    previous = [h.setStream(written) for h in console]
    try:
        page = browser_page
        log_in(page, "worker_a")
        page.goto("/people/?q=山田")
        page.goto(f"/people/{person_a.code}/")
        page.goto("/people/?q=%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E")
        page.fill("#id_q", "たろう")
        page.wait_for_timeout(800)
        page.goto("/people/missing/?q=山田")  # a 404 is logged with its path
        # What a development server writes for each request (the live server keeps quiet).
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /people/?q=%E5%B1%B1%E7%94%B0 HTTP/1.1", "200", "1234"
        )
    finally:
        for handler, stream in zip(console, previous, strict=True):
            handler.setStream(stream)
    logged = written.getvalue()
    assert "/people/" in logged  # the log was written to
    for text in ("山田", "太郎", "やまだ", "たろう", "たっくん", "%E5%B1%B1"):
        assert text not in logged
