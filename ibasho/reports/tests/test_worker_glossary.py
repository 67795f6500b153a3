"""The worker's figures are explained on the Definitions page, and every figure of the trust
panel, the person page and Today links to its entry with a labelled "?"."""

import re

import pytest
from django.urls import reverse

from ibasho.reports.worker_glossary import WORKER_TERMS

LINK = re.compile(
    r'<a class="glossary-link" href="/reports/glossary/#(\w+)" aria-label="([^"]+)">\?</a>'
)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ja", ["継続性", "20時間", "応答なし", "超過", "スコア"]),
        ("en", ["Consistency", "milestone"]),
    ],
)
def test_the_definitions_page_explains_every_worker_figure(client_for, worker_a, language, words):
    page = client_for(worker_a).get(reverse("reports:glossary"), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert page.status_code == 200
    for term in WORKER_TERMS:
        assert f'<dt id="{term.key}">' in html
    for word in words:
        assert word in html
    assert "%(stages)s" not in html


def test_the_person_page_and_today_link_each_figure(client_for, worker_a, person_a):
    """The summary links the figures it shows; the full record links every figure."""
    client = client_for(worker_a)
    summary = client.get(reverse("people:person_detail", args=[person_a.code])).content.decode()
    record = client.get(reverse("people:person_records", args=[person_a.code])).content.decode()
    today = client.get(reverse("outreach:today")).content.decode()
    on_summary = {key for key, _ in LINK.findall(summary)}
    on_record = {key for key, _ in LINK.findall(record)}
    assert {"trust_hours", "consistency", "stages"} <= on_summary
    assert {"trust_hours", "consistency", "family_hours", "attempts", "stages"} <= on_record
    assert {"score", "overdue"} <= on_record
    assert "overdue" in {key for key, _ in LINK.findall(today)}
    known = {t.key for t in WORKER_TERMS}
    assert on_summary | on_record <= known
    for page in (summary, record):
        assert "What “Consistency” means" in [label for _, label in LINK.findall(page)]
    for name in ("people:person_detail", "people:person_records"):
        in_japanese = client.get(
            reverse(name, args=[person_a.code]), HTTP_ACCEPT_LANGUAGE="ja"
        ).content.decode()
        assert "「継続性」とは" in [label for _, label in LINK.findall(in_japanese)]
