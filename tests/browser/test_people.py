import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_finds_a_person_by_kana_in_japanese(browser_page, log_in, worker_a, person_a, org_a):
    from ibasho.people.models import Person
    from ibasho.people.services import open_case

    other = Person.objects.create(
        organisation=org_a,
        family_name="佐藤",
        given_name="陽子",
        family_name_kana="さとう",
        given_name_kana="ようこ",
    )
    open_case(other, by=None)
    page = browser_page
    log_in(page, "worker_a")
    page.get_by_role("link", name="本人一覧").click()
    page.fill("#id_q", "やまだ")
    page.get_by_role("button", name="検索").click()
    page.wait_for_load_state()
    rows = page.locator("#person-rows tbody tr")
    assert rows.count() == 1
    page.shot("people-search-kana")
    page.get_by_role("link", name="山田 太郎").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("山田 太郎")
    assert "避けること" in page.content()
    assert page.locator("html").get_attribute("lang") == "ja"
    page.shot("person-page")


def test_search_as_you_type_with_htmx(browser_page, log_in, worker_a, person_a):
    page = browser_page
    log_in(page, "worker_a")
    page.goto("/people/")
    page.fill("#id_q", "ﾔﾏﾀﾞ")
    expect(page.locator("#person-rows tbody tr")).to_have_count(1)
    assert "山田" in page.locator("#person-rows").inner_text()
