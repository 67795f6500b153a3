import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ibasho.lib import limits


@pytest.mark.parametrize(
    ("value", "lines", "ok"),
    [
        ("一行\t二行\r\n三行", True, True),
        ("a\x00b", True, False),
        ("bell\x07", True, False),
        ("\x0b", True, False),
        ("\x7f", True, False),
        ("tab\tin a line", False, False),
        ("new\nline", False, False),
        ("普通の一行", False, True),
    ],
)
def test_control_characters(value, lines, ok):
    assert limits.has_control_characters(value, lines=lines) is not ok


def test_messages_never_repeat_the_value():
    with pytest.raises(ValidationError) as error:
        limits.check_text("秘" * 30_000)
    assert "秘" not in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        limits.check_json({"label": ["秘\x00"]})
    assert "秘" not in " ".join(error.value.messages)


def test_record_moments_from_the_earliest_year_to_a_few_minutes_ahead(settings):
    settings.EARLIEST_RECORD_YEAR = 1980
    zone = timezone.get_default_timezone()
    limits.record_moment(dt.datetime(1980, 1, 1, tzinfo=zone))
    limits.record_moment(timezone.now() + dt.timedelta(minutes=4))
    limits.record_moment(dt.datetime(2000, 1, 1))  # naive: read in the server's zone
    for moment in (
        dt.datetime(1979, 12, 31, 23, 59, tzinfo=zone),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=9))),  # no overflow
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        timezone.now() + dt.timedelta(minutes=6),
    ):
        with pytest.raises(ValidationError):
            limits.record_moment(moment)


def test_birth_dates_and_years_share_one_rule():
    today = timezone.localdate()
    limits.birth_year(today.year - 120)
    limits.birth_day(dt.date(today.year - 120, 1, 1))
    for check, value in (
        (limits.birth_year, today.year - 121),
        (limits.birth_year, today.year + 1),
        (limits.birth_day, dt.date(today.year - 121, 12, 31)),
        (limits.birth_day, dt.date(1, 1, 1)),
        (limits.birth_day, today + dt.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            check(value)


def test_a_service_names_each_field_that_failed():
    with pytest.raises(ValidationError) as error:
        limits.validate(
            since=(limits.past_day, dt.date(1850, 1, 1)), on=(limits.record_day, dt.date.today())
        )
    assert set(error.value.message_dict) == {"since"}


def test_planned_days_stay_within_ten_years():
    limits.planned_day(timezone.localdate() + dt.timedelta(days=3000))
    with pytest.raises(ValidationError):
        limits.planned_day(dt.date(9999, 12, 31))
