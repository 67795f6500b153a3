"""Instruments as data, and scoring answers against them.

A definition is a JSON document (see ``instruments/*.json`` and docs/decisions-outcomes.md). This
module validates definitions against a schema of that document, builds the dataclasses below from
them, and turns answers into a total, a band and flags. It is pure: no Django, no database, so every
published number can be checked by a plain table-driven test.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

BUILTIN_DIR = Path(__file__).parent / "instruments"
LANGUAGES = ("ja", "en")
MissingKind = Literal["none_allowed", "prorate"]
MISSING_RULES = get_args(MissingKind)

# Shown when an item's wording is absent from the definition: the text is never made up.
UNVERIFIED_ITEM = {"ja": "項目{n}（文言未確認）", "en": "Item {n} (wording not verified)"}


class DefinitionError(ValueError):
    """A definition document is malformed; ``where`` is a path such as ``items[3].text``."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class AnswerIssue:
    """One problem with submitted answers. ``reason`` is a stable code for translation."""

    item: int | None
    reason: str  # wrong_count, unknown_item, not_a_number, out_of_range, missing, too_many_missing
    message: str


class AnswerError(ValueError):
    def __init__(self, issues: Sequence[AnswerIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(issue.message for issue in self.issues))


@dataclass(frozen=True)
class Option:
    value: int
    label: Mapping[str, str | None]

    def label_in(self, lang: str) -> str:
        return _pick(self.label, lang) or str(self.value)


@dataclass(frozen=True)
class Item:
    number: int
    text: Mapping[str, str | None]
    wording_checked: bool
    wording_source: str
    reverse: bool
    options: tuple[Option, ...]

    @property
    def low(self) -> int:
        return min(option.value for option in self.options)

    @property
    def high(self) -> int:
        return max(option.value for option in self.options)

    def has_wording(self, lang: str) -> bool:
        return bool(self.text.get(lang))

    def label_in(self, lang: str) -> str:
        text = self.text.get(lang)
        if text:
            return text
        template = UNVERIFIED_ITEM.get(lang, UNVERIFIED_ITEM["en"])
        return template.format(n=self.number)

    def scored(self, value: int) -> int:
        """The item's contribution to the total: reverse items count from the other end."""
        return self.low + self.high - value if self.reverse else value


@dataclass(frozen=True)
class Band:
    key: str
    low: int
    high: int
    label: Mapping[str, str | None]
    concern: bool

    def label_in(self, lang: str) -> str:
        return _pick(self.label, lang) or self.key


@dataclass(frozen=True)
class BandSet:
    key: str
    version: str
    label: Mapping[str, str | None]
    source: str
    bands: tuple[Band, ...]

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"total {total} is outside every band of {self.key}")

    def cutoffs(self) -> tuple[int, ...]:
        """Where one band ends and the next begins (the lower bound of each later band)."""
        return tuple(band.low for band in self.bands[1:])


@dataclass(frozen=True)
class FlagRule:
    key: str
    item: int
    above: int
    safety: bool
    label: Mapping[str, str | None]
    source: str

    def label_in(self, lang: str) -> str:
        return _pick(self.label, lang) or self.key


@dataclass(frozen=True)
class MissingRule:
    kind: str
    max_missing: int = 0


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    name: Mapping[str, str | None]
    time_frame: Mapping[str, str | None]
    instructions: Mapping[str, str | None]
    instructions_checked: bool
    items: tuple[Item, ...]
    band_sets: tuple[BandSet, ...]
    default_band_set: str
    flags: tuple[FlagRule, ...]
    missing: MissingRule
    higher_is: str
    licence: Mapping[str, str | None]
    sources: tuple[str, ...]
    notes: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def min_total(self) -> int:
        return sum(item.low for item in self.items)

    @property
    def max_total(self) -> int:
        return sum(item.high for item in self.items)

    def name_in(self, lang: str) -> str:
        return _pick(self.name, lang) or self.code

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def band_set(self, key: str | None = None) -> BandSet:
        wanted = key or self.default_band_set
        for band_set in self.band_sets:
            if band_set.key == wanted:
                return band_set
        raise KeyError(f"{self.code} has no band set {wanted!r}")


@dataclass(frozen=True)
class Score:
    instrument: str
    version: str
    total: int
    band: Band
    band_set: BandSet
    flags: tuple[FlagRule, ...]
    answers: tuple[int | None, ...]
    prorated: bool

    @property
    def safety(self) -> bool:
        return any(flag.safety for flag in self.flags)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-ready summary (for the API and for storing with an administration)."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "total": self.total,
            "band": self.band.key,
            "band_label": self.band.label_in(lang),
            "concern": self.band.concern,
            "band_set": self.band_set.key,
            "band_set_version": self.band_set.version,
            "flags": [flag.key for flag in self.flags],
            "safety": self.safety,
            "prorated": self.prorated,
        }


# --- scoring -------------------------------------------------------------------------------


def score(
    definition: Definition,
    answers: Sequence[int | None] | Mapping[str, int | None] | Mapping[int, int | None],
    band_set: str | None = None,
) -> Score:
    """Score ``answers`` (a list in item order, or a mapping of item number to value).

    Raises AnswerError listing every problem, each naming its item and reason.
    """
    values = normalise_answers(definition, answers)
    answered = [
        (item, value)
        for item, value in zip(definition.items, values, strict=True)
        if value is not None
    ]
    missing = len(definition.items) - len(answered)
    if missing:
        _check_missing(definition, values, missing)
    raw_total = sum(item.scored(value) for item, value in answered)
    total = raw_total
    if missing:
        # Prorating: scale the mean of the answered items up to the whole scale.
        exact = Decimal(raw_total) * len(definition.items) / len(answered)
        total = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    chosen = definition.band_set(band_set)
    flags = tuple(
        rule
        for rule in definition.flags
        if (value := values[rule.item - 1]) is not None and value > rule.above
    )
    return Score(
        instrument=definition.code,
        version=definition.version,
        total=total,
        band=chosen.band_for(total),
        band_set=chosen,
        flags=flags,
        answers=tuple(values),
        prorated=bool(missing),
    )


def normalise_answers(
    definition: Definition,
    answers: Sequence[int | None] | Mapping[str, int | None] | Mapping[int, int | None],
) -> list[int | None]:
    """Check the shape and values of answers; return one value (or None) per item, in order."""
    count = len(definition.items)
    issues: list[AnswerIssue] = []
    values: list[Any] = [None] * count
    if isinstance(answers, Mapping):
        for key, value in answers.items():
            number = _item_number(key)
            if number is None or not 1 <= number <= count:
                issues.append(
                    AnswerIssue(None, "unknown_item", f"{definition.code} has no such item")
                )
                continue
            values[number - 1] = value
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) != count:
            message = f"{definition.code} has {count} items but {len(answers)} answers were given"
            raise AnswerError([AnswerIssue(None, "wrong_count", message)])
        values = list(answers)
    else:
        raise AnswerError([AnswerIssue(None, "wrong_count", "answers must be a list or a mapping")])
    for item, value in zip(definition.items, values, strict=True):
        issue = _check_value(item, value)
        if issue:
            issues.append(issue)
        elif value is None and definition.missing.kind == "none_allowed":
            issues.append(
                AnswerIssue(item.number, "missing", f"item {item.number}: an answer is required")
            )
    if issues:
        raise AnswerError(issues)
    return values


def _item_number(key: object) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return None


def _check_value(item: Item, value: object) -> AnswerIssue | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return AnswerIssue(item.number, "not_a_number", f"item {item.number}: not a whole number")
    allowed = [option.value for option in item.options]
    if value not in allowed:
        choices = ", ".join(str(v) for v in allowed)
        return AnswerIssue(
            item.number, "out_of_range", f"item {item.number}: {value} is not one of {choices}"
        )
    return None


def _check_missing(definition: Definition, values: Sequence[int | None], missing: int) -> None:
    """Only prorating definitions get here: normalise_answers rejects blanks otherwise."""
    rule = definition.missing
    blanks = [
        item.number for item, value in zip(definition.items, values, strict=True) if value is None
    ]
    if missing > rule.max_missing:
        listed = ", ".join(str(n) for n in blanks)
        message = (
            f"items {listed} are unanswered; {definition.code} allows at most "
            f"{rule.max_missing} unanswered"
        )
        raise AnswerError([AnswerIssue(blanks[0], "too_many_missing", message)])


# --- loading definitions -------------------------------------------------------------------


def load_definition(path: Path | str) -> Definition:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DefinitionError(path.name, f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    return parse_definition(data)


def load_directory(directory: Path | str) -> dict[str, Definition]:
    """Every ``*.json`` definition in a directory, keyed by code; a duplicate code is an error."""
    found: dict[str, Definition] = {}
    for path in sorted(Path(directory).glob("*.json")):
        definition = load_definition(path)
        if definition.code in found:
            raise DefinitionError(path.name, f"code {definition.code!r} is defined twice")
        found[definition.code] = definition
    return found


@lru_cache(maxsize=1)
def builtin_definitions() -> dict[str, Definition]:
    """The instruments shipped with Ibasho (read once per process)."""
    return load_directory(BUILTIN_DIR)


def parse_definition(data: object) -> Definition:
    """Validate a decoded JSON document and build a Definition; raise DefinitionError on a fault."""
    try:
        return DefinitionDoc.model_validate(data).build()
    except ValidationError as exc:
        raise _definition_error(exc.errors()[0]) from None


# --- the definition document ---------------------------------------------------------------
# A pydantic schema of the JSON. Types are strict (true is not a number, "2" is not 2) and unknown
# keys are refused, so a slip in an organisation's own definition is caught, not ignored. A rule
# spanning fields raises DefinitionError with a path relative to the model that checks it.


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1)]  # strings are stripped first, so blank text is refused


class Texts(Doc):  # text shown to people: both languages are required
    ja: Text
    en: Text


class Wording(Doc):  # an instrument's wording: null in a language where none was verified
    ja: Text | None = None
    en: Text | None = None


class InstructionsDoc(Wording):
    wording_checked: bool
    wording_source: str = ""


class ChoiceDoc(Doc):
    value: int
    label: Wording


class OptionsDoc(Doc):
    wording_checked: bool
    wording_source: str = ""
    choices: list[ChoiceDoc] = Field(min_length=2)

    @model_validator(mode="after")
    def _consecutive_values(self) -> Self:
        values = sorted(choice.value for choice in self.choices)
        if values != list(range(values[0], values[-1] + 1)):
            raise DefinitionError("choices", "values must be consecutive whole numbers, each once")
        return self


class ItemDoc(Doc):
    number: int
    text: Wording
    reverse: bool
    wording_checked: bool
    wording_source: str = ""
    reverse_source: str = ""
    review_note: str = ""
    options: OptionsDoc | None = None  # None: the definition's shared response_options


class BandDoc(Doc):
    key: Text
    low: int = Field(alias="min")
    high: int = Field(alias="max")
    label: Texts
    concern: bool


class BandSetDoc(Doc):
    key: Text
    version: Text
    label: Texts
    source: Text
    bands: list[BandDoc] = Field(min_length=1)

    def check_coverage(self, low: int, high: int, where: str) -> None:
        """Bands must cover every possible total exactly once, in order."""
        expected = low
        for i, band in enumerate(self.bands):
            if band.low != expected:
                reason = f"starts at {band.low} but should start at {expected} (gap or overlap)"
                raise DefinitionError(f"{where}.bands[{i}]", reason)
            if band.high < band.low:
                raise DefinitionError(f"{where}.bands[{i}]", "max is below min")
            expected = band.high + 1
        if expected - 1 != high:
            reason = f"bands end at {expected - 1} but totals reach {high}"
            raise DefinitionError(f"{where}.bands", reason)

    def build(self) -> BandSet:
        bands = tuple(Band(b.key, b.low, b.high, _texts(b.label), b.concern) for b in self.bands)
        return BandSet(self.key, self.version, _texts(self.label), self.source, bands)


class FlagDoc(Doc):
    key: Text
    item: int
    above: int  # raised when the item's answer is above this value
    safety: bool
    label: Texts
    source: Text


class MissingDoc(Doc):
    rule: MissingKind
    max_missing: int | None = None  # read only when prorating
    note: str = ""


class DefinitionDoc(Doc):
    code: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    version: Text
    name: Texts
    time_frame: Wording = Wording()
    instructions: InstructionsDoc
    response_options: OptionsDoc | None = None
    items: list[ItemDoc] = Field(min_length=1)
    missing_answers: MissingDoc
    higher_is: Literal["worse", "better"]
    default_band_set: Text
    band_sets: list[BandSetDoc] = Field(min_length=1)
    flags: list[FlagDoc] = []
    licence: Texts
    sources: list[Text]
    notes: Wording = Wording()

    @model_validator(mode="after")
    def _parts_fit_together(self) -> Self:
        items = self._items()
        keys = [band_set.key for band_set in self.band_sets]
        if len(set(keys)) != len(keys):
            raise DefinitionError("band_sets", "band set keys must be unique")
        if self.default_band_set not in keys:
            reason = f"{self.default_band_set!r} is not one of {', '.join(keys)}"
            raise DefinitionError("default_band_set", reason)
        low, high = sum(item.low for item in items), sum(item.high for item in items)
        for i, band_set in enumerate(self.band_sets):
            band_set.check_coverage(low, high, f"band_sets[{i}]")
        for i, flag in enumerate(self.flags):
            if not 1 <= flag.item <= len(items):
                raise DefinitionError(f"flags[{i}].item", f"there is no item {flag.item}")
            item = items[flag.item - 1]
            if not item.low <= flag.above < item.high:  # else every answer or none raises it
                reason = f"must be from {item.low} to {item.high - 1} for item {flag.item}"
                raise DefinitionError(f"flags[{i}].above", reason)
        rule, count = self.missing_answers, len(items)
        if rule.rule == "prorate" and not 1 <= (rule.max_missing or 0) < count:
            reason = f"must be between 1 and {count - 1}"
            raise DefinitionError("missing_answers.max_missing", reason)
        return self

    def _items(self) -> tuple[Item, ...]:
        items = []
        for i, item in enumerate(self.items):
            if item.number != i + 1:
                reason = f"is {item.number}; items are numbered 1, 2, 3 …"
                raise DefinitionError(f"items[{i}].number", reason)
            options = item.options or self.response_options
            if options is None:
                raise DefinitionError(f"items[{i}]", "no options and no shared response_options")
            items.append(
                Item(
                    number=item.number,
                    text=_texts(item.text),
                    wording_checked=item.wording_checked,
                    wording_source=item.wording_source,
                    reverse=item.reverse,
                    options=tuple(Option(c.value, _texts(c.label)) for c in options.choices),
                )
            )
        return tuple(items)

    def build(self) -> Definition:
        rule = self.missing_answers
        max_missing = rule.max_missing if rule.rule == "prorate" else None  # else meaningless
        return Definition(
            code=self.code,
            version=self.version,
            name=_texts(self.name),
            time_frame=_texts(self.time_frame),
            instructions=_texts(self.instructions),
            instructions_checked=self.instructions.wording_checked,
            items=self._items(),
            band_sets=tuple(band_set.build() for band_set in self.band_sets),
            default_band_set=self.default_band_set,
            flags=tuple(
                FlagRule(f.key, f.item, f.above, f.safety, _texts(f.label), f.source)
                for f in self.flags
            ),
            missing=MissingRule(rule.rule, max_missing or 0),
            higher_is=self.higher_is,
            licence=_texts(self.licence),
            sources=tuple(self.sources),
            notes=_texts(self.notes),
        )


def _texts(doc: Texts | Wording) -> dict[str, str | None]:
    return {lang: getattr(doc, lang) for lang in LANGUAGES}


# What a schema error means to someone writing the JSON by hand; {…} are from the error's context.
_REASONS = {
    "missing": "is required",
    "extra_forbidden": "is not a known key",
    "string_pattern_mismatch": "must be a lower-case letter and up to 39 more of a-z, 0-9, - or _",
    "too_short": "is too short (at least {min_length} needed)",
    "string_too_short": "must not be empty",
    "literal_error": "must be {expected}",
    "model_type": "must be an object",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
}


def _definition_error(error: ErrorDetails) -> DefinitionError:
    """Turn pydantic's error location, e.g. ('items', 3, 'text'), into ``items[3].text``."""
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
    where, context = where.lstrip("."), error.get("ctx", {})
    if isinstance(fault := context.get("error"), DefinitionError):
        return DefinitionError(".".join(p for p in (where, fault.where) if p), fault.reason)
    reason = _REASONS.get(error["type"], error["msg"]).format(**context)
    if error["type"].endswith(("_type", "_mismatch")) and not isinstance(
        error["input"], dict | list
    ):
        reason += f", not {json.dumps(error['input'], ensure_ascii=False)}"  # as written in JSON
    return DefinitionError(where or "definition", reason)


def _pick(texts: Mapping[str, str | None], lang: str) -> str | None:
    return texts.get(lang) or None
