import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_invites_a_colleague_who_accepts(browser_page, log_in, admin_a, worker_b, org_a):
    from ibasho.accounts.models import Membership, Role

    page = browser_page
    log_in(page, "admin_a")
    page.get_by_role("link", name="スタッフ", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="既存のアカウントを招待").click()
    page.fill("#id_invited_as", "worker_b")
    page.select_option("#id_role", Role.COORDINATOR)
    page.get_by_role("button", name="招待を送る").click()
    page.wait_for_load_state()
    assert "招待を送りました" in page.locator(".messages").inner_text()
    assert "worker_b" in page.locator("table").nth(1).inner_text()
    page.shot("staff-invitation-sent")
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, "worker_b")
    page.get_by_role("link", name="招待").click()
    page.wait_for_load_state()
    assert org_a.name in page.content()
    page.shot("invitation-to-accept")
    page.get_by_role("button", name="承諾する").click()
    page.wait_for_load_state()
    assert org_a.name in page.locator(".messages").inner_text()
    membership = Membership.objects.get(organisation=org_a, user=worker_b.user)
    assert membership.role == Role.COORDINATOR


def test_admin_creates_an_account_whose_one_time_password_signs_in(
    browser_page, log_in, admin_a, org_a
):
    page = browser_page
    log_in(page, "admin_a")
    page.goto("/staff/new/")
    page.fill("#id_username", "tanaka")
    page.fill("#id_display_name", "田中 光")
    page.fill("#id_display_name_kana", "たなか ひかる")
    page.get_by_role("button", name="アカウントを作成").click()
    page.wait_for_load_state()
    password = page.locator("#one-time-password").inner_text()
    page.shot("staff-account-created")
    page.get_by_role("button", name="ログアウト").click()

    page.goto("/login/")
    page.fill("#id_username", "tanaka")
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    # A password an admin issued is replaced before anything else.
    assert page.url.endswith("/password/")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "quiet lantern harbour 7")
    page.fill("#id_new_password2", "quiet lantern harbour 7")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url.endswith("/outreach/")
