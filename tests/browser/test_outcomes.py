import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_records_a_k6_and_a_recovery_profile_and_sees_the_charts(
    browser_page, log_in, worker_a, person_a
):
    from ibasho.outcomes.models import Administration, RecoveryRating

    page = browser_page
    log_in(page, worker_a.user.username)
    page.goto(f"/people/{person_a.code}/records/")
    page.click("text=尺度を記録する")
    page.click("text=K6（ケスラー心理的苦痛尺度）")
    page.fill("#id_administered_on", "2025-04-01")
    for number, value in enumerate([3, 2, 2, 1, 2, 1], start=1):
        page.check(f"#id_item_{number}_{value}")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert Administration.objects.get(person=person_a).total == 11

    page.goto(f"/people/{person_a.code}/records/")
    page.click("text=リカバリー・プロフィールを記録する")
    page.select_option("#id_self_going_out", "2")
    page.select_option("#id_worker_going_out", "3")
    page.select_option("#id_worker_connection", "2")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert RecoveryRating.objects.filter(person=person_a).count() == 2

    page.goto(f"/people/{person_a.code}/records/")
    chart = page.locator("#outcomes svg.chart").first
    chart.wait_for()
    assert "カットオフ 5" in chart.inner_html()
    assert page.locator("#outcomes svg.chart g.point").count() >= 3
    page.shot("outcomes-person-panel")
    page.goto(f"/outcomes/people/{person_a.code}/")
    page.shot("outcomes-printable")
