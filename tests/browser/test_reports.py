import datetime as dt
import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_analyst_opens_the_month_switches_to_the_fiscal_year_and_downloads_csv_and_pdf(
    browser_page, log_in, analyst_a, org_a
):
    from pypdf import PdfReader

    from ibasho.outreach.models import Contact
    from ibasho.people.models import Person

    today = org_a.today()
    when = dt.datetime.combine(today.replace(day=1), dt.time(10), tzinfo=org_a.zone)
    for n in range(7):
        person = Person.objects.create(
            organisation=org_a, family_name=f"試験{n}", family_name_kana="しけん", birth_year=1990
        )
        for k in range(2):
            Contact.objects.create(
                organisation=org_a, person=person, occurred_at=when + dt.timedelta(hours=k),
                channel="phone", reached="person", outcome="spoke_by_phone", duration_minutes=30,
            )  # fmt: skip

    page = browser_page
    log_in(page, analyst_a.user.username)
    assert page.url.endswith("/reports/")
    page.goto("/reports/contacts/")
    assert page.locator("h1").inner_text().startswith("実人数・延べ数")
    assert page.locator("#table-month svg.histogram").count() == 1
    page.click(".period-switch >> text=年度")
    page.wait_for_load_state()
    assert "period=fiscal_year" in page.url
    people = page.locator("dd[data-figure=people]").inner_text()
    contacts = page.locator("dd[data-figure=contacts]").inner_text()
    assert (people, contacts) == ("7", "14")
    page.shot("reports-fiscal-year")

    with page.expect_download(timeout=60_000) as download:
        page.click(".downloads >> text=CSV")
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "実人数・延べ数" in csv and "月別" in csv and "7,14" in csv

    with page.expect_download(timeout=120_000) as download:  # typesetting takes a while
        page.click(".downloads >> text=PDF")
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for heading in ("実人数・延べ数", "月別", "支援方法別", "年代別", org_a.name, "年度"):
        assert heading in text, heading
    assert f"実人数 {people}" in text.replace("\n", " ") or people in text
    assert contacts in text
    assert "試験" not in text and "試験" not in csv
