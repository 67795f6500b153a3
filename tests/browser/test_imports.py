"""A coordinator moves a name list and its contact history in from Excel: maps the two columns
the wizard did not recognise, sees two row errors, uploads the corrected file, imports it, and
finds an imported person's trust hours and history on their page."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parents[1] / "data"


def upload(page, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/imports/")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(DATA / name))
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()


def test_coordinator_imports_a_caseload(browser_page, log_in, coordinator_a):
    page = browser_page
    log_in(page, "coordinator_a")
    upload(page, "wizard.xlsx", "people")
    assert "/mapping/" in page.url
    # 氏名, ふりがな and 住所 are recognised; 利用者コード and 生まれた日 are not.
    assert page.locator("#id_column_1").input_value() == "name"
    assert page.locator("#id_column_0").input_value() == ""
    assert page.locator("#id_column_3").input_value() == ""
    page.select_option("#id_column_0", "external_id")
    page.select_option("#id_column_3", "birth_date")
    page.shot("imports-mapping")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    errors = page.locator("#import-errors li")
    assert errors.count() == 2
    assert "5" in errors.nth(0).inner_text() and "ふりがな" in errors.nth(0).inner_text()
    assert "6" in errors.nth(1).inner_text() and "生まれた日" in errors.nth(1).inner_text()
    page.shot("imports-preview-errors")

    upload(page, "wizard-fixed.xlsx", "people")  # the mapping is remembered
    assert page.locator("#id_column_3").input_value() == "birth_date"
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("#import-errors").count() == 0
    page.click("form.card button[type=submit].primary")
    page.wait_for_selector("#import-result")
    assert "3" in page.locator("#import-result").inner_text()
    page.shot("imports-done")

    upload(page, "wizard-contacts.csv", "contacts")
    page.click("form.card button[type=submit].primary")  # every heading recognised
    page.wait_for_load_state()
    page.click("form.card button[type=submit].primary")
    page.wait_for_selector("#import-result")

    page.goto("/people/?q=もり")
    page.click("text=森 陽太")
    page.wait_for_load_state()
    page.click("nav.tabs >> text=記録・グラフ")  # the plan, trust and contacts in full
    page.wait_for_load_state()
    assert page.locator("#trust-hours").inner_text().startswith("1.25")
    recent = page.locator("#contacts").inner_text()
    assert "2023" in recent  # the imported contacts keep their own dates (R5 = 2023)
    page.shot("imports-person-after")
    page.click("#contacts a[href$='/contacts/']")
    page.wait_for_load_state()
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    page.shot("imports-person-history")
    rows.filter(has_text="45").locator("a").first.click()
    page.wait_for_load_state()
    assert "玄関先で話せた" in page.content()
