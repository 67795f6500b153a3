"""Every UI string has a Japanese translation, and the compiled catalogues are in use."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r'^(#, fuzzy\n)?msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.M)


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/ja/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert catalogues()


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_and_none_is_fuzzy(po):
    problems = []
    for fuzzy, msgid, msgstr in ENTRY.findall(po.read_text()):
        if msgid.strip() == '""':
            continue  # the header
        if fuzzy or msgstr.strip() == '""':
            problems.append(msgid.strip())
    assert problems == []
    # A "#| msgid" line is gettext's guess from a different string: it needs a translator.
    assert "#| msgid" not in po.read_text()
    assert "#, fuzzy" not in po.read_text()


@pytest.mark.django_db
def test_person_page_in_both_languages(client_for, worker_a, person_a):
    client = client_for(worker_a)
    url = reverse("people:person_detail", args=[person_a.code])
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "避けること" in japanese and "Things to avoid" not in japanese
    assert "Things to avoid" in english


@pytest.mark.django_db
def test_language_switch_is_on_every_page_and_sticks(client_for, worker_a, person_a):
    client = client_for(worker_a)
    url = reverse("people:person_list")
    assert (
        'name="language" value="en"' in client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    )
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Register a person" in client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()


@pytest.mark.django_db
def test_dates_in_japanese_style(client_for, worker_a, person_a):
    person_a.birth_date = dt.date(1974, 5, 3)
    person_a.save()
    html = (
        client_for(worker_a)
        .get(reverse("people:person_detail", args=[person_a.code]), HTTP_ACCEPT_LANGUAGE="ja")
        .content.decode()
    )
    assert "1974年5月3日" in html
