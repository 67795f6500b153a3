"""What a record may hold: text without control characters and within a length, and dates
within a sane range. Forms, API schemas, services and the models' own checks share these, so
every door refuses the same things with the same words. A message never repeats the value."""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Free text (notes, descriptions): long enough for a page of notes, short enough that a page
# showing it stays a page.
NOTE = 20_000
# A search box.
SEARCH = 100
# People are recorded from the oldest living age; records from when the organisation's
# written history can begin (a setting) up to now, allowing a small difference in clocks.
OLDEST_AGE = 120
EARLIEST_PAST_DAY = dt.date(1900, 1, 1)
CLOCK_SKEW = dt.timedelta(minutes=5)
PLANNING_HORIZON = dt.timedelta(days=10 * 366)

# C0 controls and DEL. Multi-line text keeps tab, line feed and carriage return.
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")

CONTROL_MESSAGE = _("Remove the control characters (such as NUL) from this text.")
LINE_MESSAGE = _("Write this on one line, without control characters.")
EARLY_MESSAGE = _("Enter a date on or after %(earliest)s.")
FUTURE_DAY_MESSAGE = _("This date is in the future.")
FAR_DAY_MESSAGE = _("This date is too far ahead.")
FUTURE_TIME_MESSAGE = _("This time is in the future.")
YEAR_MESSAGE = _("Enter a year between %(low)s and %(high)s.")


def has_control_characters(value: str, *, lines: bool = True) -> bool:
    return bool((_CONTROL_IN_LINES if lines else _CONTROL_IN_LINE).search(value))


def check_text(value: str, *, max_length: int | None = NOTE, lines: bool = True) -> None:
    """Raise a ValidationError for control characters or for more than `max_length`."""
    if has_control_characters(value, lines=lines):
        raise ValidationError(CONTROL_MESSAGE if lines else LINE_MESSAGE, code="control_characters")
    if max_length is not None:
        MaxLengthValidator(max_length)(value)


def no_control_characters(value: str) -> None:
    """Form validator for multi-line text (tabs and new lines allowed)."""
    check_text(value, max_length=None)


def one_line(value: str) -> None:
    """Form validator for one line of text."""
    check_text(value, max_length=None, lines=False)


def note_field(
    label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    """A form's multi-line text box with the limits of a stored note."""
    attrs = {"rows": rows, **kwargs.pop("attrs", {})}
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs=attrs),
        **kwargs,
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def check_json(value: Any) -> None:
    """Raise a ValidationError for control characters in any string inside a JSON value
    (PostgreSQL refuses NUL in jsonb)."""
    for text in _strings(value):
        check_text(text, max_length=None)


def validate(**checks: tuple[Callable[[Any], None], Any]) -> None:
    """For a service: run `validator(value)` for each `name=(validator, value)` and raise one
    ValidationError naming every field that failed."""
    errors: dict[str, Any] = {}
    for name, (validator, value) in checks.items():
        try:
            validator(value)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def text_problems(record: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    """For each text field a user can set on `record` (or those in `names`): what is wrong with
    its value. Character fields are one line; text fields may have several, up to NOTE
    characters; strings inside JSON are checked for control characters (PostgreSQL refuses NUL
    in both). Fields the code derives (not editable) are left alone."""
    wanted = None if names is None else set(names)
    problems: dict[str, Any] = {}
    for field in record._meta.concrete_fields:
        if not field.editable or (wanted is not None and field.name not in wanted):
            continue
        found = _text_problem(field, getattr(record, field.attname))
        if found:
            problems[field.name] = found
    return problems


def _text_problem(field: Any, value: Any) -> list[ValidationError] | None:
    """`text_problems` for one field's value."""
    try:
        if isinstance(field, models.JSONField) or getattr(field, "holds_json", False):
            check_json(value)
        elif getattr(field, "one_line", False) and isinstance(value, str):
            check_text(value, max_length=field.max_length or NOTE, lines=False)
        elif isinstance(value, str) and isinstance(field, models.TextField):
            check_text(value, max_length=field.max_length or NOTE)
        elif isinstance(value, str) and isinstance(field, models.CharField):
            check_text(value, max_length=field.max_length or NOTE, lines=False)
    except ValidationError as error:
        return error.error_list
    return None


def check_record(record: models.Model, *, only: Iterable[str] | None = None) -> None:
    """The model's own checks (blank, choices, lengths, validators, text) on the fields a
    caller can set, or on those named in `only`. Relations are left to the caller, who knows
    which records are in reach; nothing here queries the database."""
    wanted = None if only is None else set(only)
    skip = [
        field.name
        for field in record._meta.concrete_fields
        if field.is_relation
        or not field.editable
        or (wanted is not None and field.name not in wanted)
    ]
    record.clean_fields(exclude=skip)


class ValueChecks:
    """`check_record` for the values of records not built yet, each distinct value of a field
    checked once: a file of thousands of rows repeats its channels, days and minutes, and a
    field's limits depend on its value alone (relations are left out, as `check_record`
    leaves them). One instance serves one run: the limits of dates move with the clock."""

    def __init__(self, model: type[models.Model]):
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if field.editable and not field.is_relation and not field.generated
        ]
        self.known: dict[tuple[str, type, Any], list[ValidationError] | None] = {}

    def problems(self, values: dict[str, Any]) -> dict[str, list[ValidationError]]:
        """What is wrong with `values` (by field name), fields not given taking their
        defaults: what `check_record` on the record built from them raises."""
        errors = {}
        for field in self.fields:
            value = values[field.attname] if field.attname in values else field.get_default()
            key = (field.name, type(value), value)
            try:
                found = self.known[key]
            except KeyError:
                found = self.known[key] = _value_problem(field, value)
            except TypeError:  # a value that cannot be remembered (a list): checked each time
                found = _value_problem(field, value)
            if found:
                errors[field.name] = found
        return errors

    def check(self, values: dict[str, Any]) -> None:
        errors = self.problems(values)
        if errors:
            raise ValidationError(errors)


def _value_problem(field: Any, value: Any) -> list[ValidationError] | None:
    """`Model.clean_fields` for one field, then the text limits `TenantModel` adds."""
    if field.blank and value in field.empty_values:
        return _text_problem(field, value)
    try:
        field.clean(value, None)
    except ValidationError as error:
        return error.error_list
    return _text_problem(field, value)


def earliest_record_day() -> dt.date:
    return dt.date(settings.EARLIEST_RECORD_YEAR, 1, 1)


def check_day(value: dt.date, earliest: dt.date, latest: dt.date) -> None:
    if value < earliest:
        raise ValidationError(
            EARLY_MESSAGE, code="too_early", params={"earliest": earliest.isoformat()}
        )
    if value > latest:
        far = latest > timezone.localdate()
        raise ValidationError(FAR_DAY_MESSAGE if far else FUTURE_DAY_MESSAGE, code="future")


def record_day(value: dt.date) -> None:
    """Validator: the day something was recorded (a test taken, an assessment, a consent)."""
    check_day(value, earliest_record_day(), timezone.localdate())


def past_day(value: dt.date) -> None:
    """Validator: a day in someone's life (withdrawn since, a parent's health since)."""
    check_day(value, EARLIEST_PAST_DAY, timezone.localdate())


def record_moment(value: dt.datetime) -> None:
    """Validator: when a contact happened, from the earliest record day (in the server's zone)
    to a few minutes from now. Year 1 or 9999 never reaches a time-zone conversion."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_default_timezone())
    earliest = dt.datetime.combine(
        earliest_record_day(), dt.time(), tzinfo=timezone.get_default_timezone()
    )
    if value < earliest:
        raise ValidationError(
            EARLY_MESSAGE, code="too_early", params={"earliest": earliest.date().isoformat()}
        )
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError(FUTURE_TIME_MESSAGE, code="future")


def earliest_birth_year() -> int:
    return timezone.localdate().year - OLDEST_AGE


def birth_year(value: int) -> None:
    """Validator: a birth year within the oldest living age."""
    low, high = earliest_birth_year(), timezone.localdate().year
    if not low <= value <= high:
        raise ValidationError(YEAR_MESSAGE, code="birth_year", params={"low": low, "high": high})


def birth_day(value: dt.date) -> None:
    """Validator: a birth date whose year the birth year rule accepts (the record keeps it)."""
    check_day(value, dt.date(earliest_birth_year(), 1, 1), timezone.localdate())


def planned_day(value: dt.date) -> None:
    """Validator: a day something is planned for (a session), from the earliest record day to
    ten years ahead, so that counting days from it stays within the calendar."""
    check_day(value, earliest_record_day(), timezone.localdate() + PLANNING_HORIZON)
