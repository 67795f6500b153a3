"""On a phone (390×844, Japanese): a worker types a postcode, sees the address filled, saves
the contact details, and reads them in the person's summary, which fits the screen."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone_page(chromium, live_server):  # type: ignore[no-untyped-def]
    from tests.browser.conftest import SCREENSHOTS

    context = chromium.new_context(
        locale="ja-JP", viewport={"width": 390, "height": 844}, base_url=live_server.url,
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.shot = lambda name: page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    yield page
    context.close()


def test_postcode_fills_the_address_and_the_summary_shows_it(
    phone_page, log_in, worker_a, person_a
):
    page = phone_page
    person_a.prefecture, person_a.municipality = "", ""
    person_a.save()
    log_in(page, "worker_a")
    page.goto(f"/people/{person_a.code}/contact-details/")
    page.fill("#id_postcode", "1000001")
    # A locator assertion, not a JavaScript predicate: the page's CSP forbids evaluating strings.
    expect(page.locator("#id_municipality")).to_have_value("千代田区")
    assert page.input_value("#id_prefecture") == "13"
    assert page.input_value("#id_street") == "千代田"
    assert page.input_value("#id_postcode") == "100-0001"
    page.fill("#id_street", "千代田1-1 さくら荘201")
    page.fill("#id_phone_1_number", "090-1234-5678")
    page.fill("#id_phone_1_label", "携帯")
    page.fill("#id_emergency_name", "山田和子")
    page.shot("contact-details-form-phone")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    summary = page.locator("#summary")
    text = summary.inner_text()
    assert "〒100-0001 東京都千代田区千代田1-1 さくら荘201" in text
    assert "090-1234-5678" in text and "避けること" in text and "連絡方法" in text
    # The summary fits one phone screen: it ends above the bottom of the window.
    box = summary.bounding_box()
    assert box is not None and box["height"] <= 844 - 60, box
    summary.scroll_into_view_if_needed()
    page.shot("person-summary-phone")
    page.get_by_role("link", name="訪問カード").first.click()
    page.wait_for_load_state()
    assert "さくら荘201" in page.content() and "誰を訪ねるか" in page.content()
    page.shot("visit-card-phone")
