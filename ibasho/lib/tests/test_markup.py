import datetime as dt

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, ngettext, override

from ibasho.lib.markup import day_label, format_row, kept_per_language

# Text that must be escaped, markup that must not be, and what is neither.
VALUES = [
    "田中 太郎",
    "<script>alert('x')</script>",
    'a "quoted" & <b>bold</b> name',
    mark_safe("<span>kept</span>"),
    format_html("<a href='{}'>{}</a>", "/p?a=1&b=2", "<i>"),
    gettext_lazy("Log out"),
    42,
    3.5,
    None,
    dt.date(2026, 12, 2),
    "",
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_value_is_escaped_as_format_html_escapes_it(value):
    template = '<td data-label="{}">{}</td>'
    made = format_row(template, value, value)
    assert made == format_html(template, value, value)
    assert isinstance(made, SafeString)


def test_a_whole_row_matches_format_html():
    template = "".join("<td>{}</td>" for _ in VALUES)
    assert format_row(template, *VALUES) == format_html(template, *VALUES)


def test_a_fragment_made_by_format_row_is_not_escaped_again():
    inner = format_row("<b>{}</b>", "<x>")
    assert format_row("<p>{}</p>", inner) == "<p><b>&lt;x&gt;</b></p>"


def test_kept_phrases_follow_the_language():
    made = []

    def days(n):
        made.append(n)
        return ngettext("%(n)s day ago", "%(n)s days ago", n) % {"n": n}

    phrase = kept_per_language(days)
    with override("en"):
        assert phrase(3) == "3 days ago"
        assert phrase(1) == "1 day ago"
        assert phrase(3) == "3 days ago"
    with override("ja"):
        assert phrase(3) == "3日前"
    assert made == [3, 1, 3]  # once per language and count


def test_day_label_in_each_language():
    day = dt.date(2026, 12, 2)
    with override("ja"):
        assert day_label(day) == "2026年12月2日"
    with override("en"):
        assert day_label(day) == "2 Dec 2026"
