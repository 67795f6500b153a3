import datetime as dt

import pytest

from ibasho.imports.values import parse_date, parse_minutes, parse_time, parse_year, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("令和6年4月1日", dt.date(2024, 4, 1)),
        ("R6.4.1", dt.date(2024, 4, 1)),
        ("r6.4.1", dt.date(2024, 4, 1)),
        ("H31/4/1", dt.date(2019, 4, 1)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("昭和63年4月1日", dt.date(1988, 4, 1)),
        ("S55/1/20", dt.date(1980, 1, 20)),
        ("２０２４／０５／０１", dt.date(2024, 5, 1)),
        ("令和６年４月１日", dt.date(2024, 4, 1)),
        ("2024-04-01", dt.date(2024, 4, 1)),
        ("2024年4月1日", dt.date(2024, 4, 1)),
        ("20240401", dt.date(2024, 4, 1)),
        ("45383", dt.date(2024, 4, 1)),
        (45383, dt.date(2024, 4, 1)),
        (45383.0, dt.date(2024, 4, 1)),
        (dt.datetime(2024, 4, 1, 9, 30), dt.date(2024, 4, 1)),
    ],
)
def test_dates_a_centre_writes(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["令和6年13月1日", "H31/5/1", "R1/4/30", "2024/2/30", "明日", "6.4.1", "R6", "", -5, 10**9],
)
def test_dates_that_are_not_days_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_years_minutes_times_and_text():
    assert parse_year("昭和30年") == 1955
    assert parse_year("S28") == 1953
    assert parse_year("1950") == 1950
    assert parse_year("H2.5.3") == 1990
    assert parse_minutes("３０") == 30
    assert parse_minutes("30分") == 30
    assert parse_minutes("1時間30分") == 90
    assert parse_minutes(45) == 45
    for bad in ("半日", "-5", 2.5, -1):
        with pytest.raises(ValueError):
            parse_minutes(bad)
    assert parse_time("14:30") == dt.time(14, 30)
    with pytest.raises(ValueError):
        parse_time("25:00")
    assert text("ﾀｶﾊｼ ｹﾝﾀ") == "タカハシ ケンタ"
    assert text("髙橋\u3000山﨑 ハイツⅢ") == "髙橋 山﨑 ハイツⅢ"
    assert text("ＡＢＣ１２３") == "ABC123"
