import io
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_exports_a_person_for_a_disclosure_request_as_pdf_and_json(
    browser_page, log_in, coordinator_a, person_a
):
    from pypdf import PdfReader

    from ibasho.audit.models import AuditEntry
    from ibasho.outreach import services as outreach
    from ibasho.outreach.models import Contact

    outreach.record_contact(
        person_a, by=coordinator_a.user, channel=Contact.Channel.PHONE,
        reached=Contact.Reached.PERSON, outcome=Contact.Outcome.SPOKE_BY_PHONE,
        note="好きな本の話をした",
    )  # fmt: skip
    page = browser_page
    log_in(page, coordinator_a.user.username)
    page.goto(f"/people/{person_a.code}/records/")
    page.click("#exchange-panel >> text=この人の記録をすべて書き出す")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "この人の記録をすべて書き出す"
    page.shot("person-export")

    with page.expect_download(timeout=120_000) as download:  # typesetting takes a while
        page.click("#export-pdf")
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for shown in (
        "保有個人データの開示",
        person_a.family_name,
        "好きな本の話をした",
        "監査ログ",
    ):
        assert shown in text, shown

    with page.expect_download() as download:
        page.click("#export-json")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["person"] == str(person_a.code)
    assert "好きな本の話をした" in [c["note"] for c in data["records"]["outreach.Contact"]]
    assert AuditEntry.objects.filter(action="exchange.person_exported").count() == 2
