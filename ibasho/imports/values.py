"""Reading the values a Japanese office's spreadsheet holds: 和暦 and western dates, Excel
serial numbers, full-width digits, half-width kana. Each parser returns the value or raises
`ValueError` with the message shown beside the row and column."""

import datetime as dt
import functools
import re
from typing import Any

import jaconv
from django.utils.translation import gettext as _

# Era, its first day and its last day (inclusive).
ERAS = {
    "明治": (dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    "大正": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (dt.date(2019, 5, 1), dt.date(9999, 12, 31)),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_ERA = r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(\d{1,2}|元)"
_SEP = r"\s*[年./\-]\s*"
WAREKI_DAY = re.compile(rf"^{_ERA}{_SEP}(\d{{1,2}})\s*[月./\-]\s*(\d{{1,2}})\s*日?$")
WAREKI_YEAR = re.compile(rf"^{_ERA}\s*年?$")
WESTERN_DAY = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
YEAR = re.compile(r"^(\d{4})\s*年?$")
SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
TIME = re.compile(r"(\d{1,2})\s*[:時]\s*(\d{2})")
# Excel's day 0 (its 1900 leap-year bug makes 1899-12-30 the origin for every date after
# February 1900, which is all a support record holds).
EXCEL_EPOCH = dt.date(1899, 12, 30)
TOTAL_WORDS = {"合計", "計", "総計", "小計", "total", "totals", "sum"}


def text(value: Any) -> str:
    """A cell as one clean string: full-width letters, digits and spaces made half-width,
    half-width katakana made full-width; CP932 characters such as 髙, 﨑 and Ⅲ kept as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return _clean(str(value))


@functools.lru_cache(maxsize=65536)
def _clean(value: str) -> str:
    """`text` of a string. A file repeats its words (channels, dates, names) many times, and
    each cell is read more than once, so the widths are converted once per distinct string."""
    if value.isascii():
        return value.strip()
    result = jaconv.h2z(value, kana=True, ascii=False, digit=False)
    result = jaconv.z2h(result, kana=False, ascii=True, digit=True)
    return result.replace("\u3000", " ").strip()


def _era_year(era: str, year: str) -> tuple[str, int]:
    name = ERA_LETTERS.get(era.upper(), era)
    number = 1 if year == "元" else int(year)
    return name, ERAS[name][0].year + number - 1


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("There is no such day.")) from None


def parse_date(value: Any) -> dt.date:
    """令和6年4月1日, R6.4.1, H31/4/1, 2024/4/1, 2024-04-01, 2024年4月1日, 20240401, an Excel
    serial number (45383) or a date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_serial(value)
    raw = text(value)
    if match := WAREKI_DAY.match(raw.upper() if raw[:1].isascii() else raw):
        name, year = _era_year(match.group(1), match.group(2))
        day = _day(year, int(match.group(3)), int(match.group(4)))
        first, last = ERAS[name]
        if not first <= day <= last:
            raise ValueError(_("This day is not in the era %(era)s.") % {"era": name})
        return day
    if match := WESTERN_DAY.match(raw) or COMPACT_DAY.match(raw):
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if SERIAL.match(raw):
        return from_serial(float(raw))
    raise ValueError(
        _("Not a date Ibasho can read (write e.g. 令和6年4月1日, R6.4.1 or 2024/4/1).")
    )


def from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:  # 9999-12-31
        raise ValueError(
            _("Not a date Ibasho can read (write e.g. 令和6年4月1日, R6.4.1 or 2024/4/1).")
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_year(value: Any) -> int:
    """A birth year: 1985, 1985年, 昭和60年, S60, or a whole date (its year)."""
    if isinstance(value, int) and 1800 < value < 2200:
        return value
    raw = text(value)
    if match := YEAR.match(raw):
        return int(match.group(1))
    if match := WAREKI_YEAR.match(raw.upper() if raw[:1].isascii() else raw):
        return _era_year(match.group(1), match.group(2))[1]
    return parse_date(value).year


def parse_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    raw = text(value)
    if not raw:
        return None
    match = TIME.search(raw)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(_("Not a time of day (write e.g. 14:30)."))
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_minutes(value: Any) -> int:
    """Minutes: 30, 30分, ３０, 1時間30分, 1,200."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or not float(value).is_integer():
            raise ValueError(_("Write the minutes as a whole number."))
        return int(value)
    raw = text(value).replace(",", "")
    match = re.fullmatch(r"(?:(\d+)\s*時間)?\s*(?:(\d+)\s*分?)?", raw)
    if not raw or match is None or not any(match.groups()):
        raise ValueError(_("Write the minutes as a whole number."))
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def is_total_row(values: list[Any]) -> bool:
    """A totals row (合計, 計, Total …) in its first filled cell."""
    first = next((text(v) for v in values if text(v)), "")
    return first.replace(" ", "").lower() in TOTAL_WORDS
