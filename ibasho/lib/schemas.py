"""What every API input is made of. An input schema parses and nothing more: exact JSON types
(no "30" for 30, no true for 1), no field it does not document, text within the limits of
`ibasho.lib.limits`, dates and times as ISO 8601 strings. The rules between fields are the
services' own, the same for the API and the web forms."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from annotated_types import GroupedMetadata, MaxLen
from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict
from pydantic_core import PydanticCustomError

from ibasho.lib import limits


class Input(Schema):
    """The base of every request body: unknown fields (and the ones the server sets, such as
    the organisation or the member of staff) are refused, and types are exact."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _parsed(parse: Callable[[str], Any], kind: str, example: str) -> Callable[[object], Any]:
    """JSON has no date type: a date or time is a string, never a number of seconds."""

    def parse_string(value: object) -> Any:
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                pass
        raise PydanticCustomError(f"{kind}_format", f"must be a {kind} written like {example}")

    return parse_string


def _aware(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


# A record's code: a UUID, written as a string.
Code = Annotated[UUID, Strict(False)]
# A calendar day, e.g. 2025-04-01.
Day = Annotated[dt.date, BeforeValidator(_parsed(dt.date.fromisoformat, "date", "2025-04-01"))]
# A moment with its offset from UTC, e.g. 2025-04-01T10:00:00+09:00.
Moment = Annotated[
    dt.datetime, BeforeValidator(_parsed(_aware, "time", "2025-04-01T10:00:00+09:00"))
]


@dataclass(frozen=True)
class _JsonSchema:
    extra: dict[str, Any]

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        schema.update(self.extra)
        return schema


def _no_controls(lines: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        if limits.has_control_characters(value, lines=lines):
            message = "must not contain control characters such as NUL"
            if not lines:
                message = "must be one line, without control characters"
            raise PydanticCustomError("control_characters", message)
        return value

    return check


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Metadata for a string field: `Annotated[str, Text(300, lines=False)]`."""

    max_length: int = limits.NOTE
    lines: bool = True

    def __iter__(self) -> Iterator[Any]:
        yield MaxLen(self.max_length)
        yield AfterValidator(_no_controls(self.lines))
        # The API's description states the rule in words, not as a JSON Schema "pattern":
        # generating strings for such a pattern made schema-driven testing five times slower.


@dataclass(frozen=True)
class OneOf(GroupedMetadata):
    """Metadata for a string that must be one of a model's choices (listed in the schema):
    `Annotated[str, OneOf(Contact.Channel)]`; with `blank`, "" too."""

    choices: Any  # a Choices class or a list of (value, label)
    blank: bool = False

    def __iter__(self) -> Iterator[Any]:
        found = getattr(self.choices, "values", None)
        values = [str(v) for v in found] if found else [str(v) for v, _ in self.choices]
        values = [""] * self.blank + values

        def check(value: str) -> str:
            if value not in values:
                raise PydanticCustomError(
                    "choice", "must be one of: {choices}", {"choices": ", ".join(values)}
                )
            return value

        yield AfterValidator(check)
        yield _JsonSchema({"enum": values})


def line(model: type[models.Model], name: str) -> Text:
    """A one-line field as long as the model's column allows."""
    return Text(model._meta.get_field(name).max_length or limits.NOTE, lines=False)  # type: ignore[union-attr]


# Larger numbers than these break the SQL of some databases (a 500, not a refusal).
PAGE_LIMIT = 2**31 - 1
# The most rows one page of the API gives: a bulk read is an export, not a page. A larger
# `limit` is refused (422), so a client learns the cap instead of silently getting less.
MAX_PAGE = 200


class Pages(LimitOffsetPagination):
    """Limit and offset with bounds every database accepts; at most MAX_PAGE rows a page."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=PAGE_LIMIT)


# The text of a search box.
Search = Annotated[str, Text(limits.SEARCH, lines=False)]
