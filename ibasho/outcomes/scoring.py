"""Instruments as data, and scoring answers against them.

A definition is a JSON document (see ``instruments/*.json`` and docs/decisions-outcomes.md). This
module loads and validates definitions and turns answers into a total, a band and flags. It is pure:
no Django, no database, so every published number can be checked by a plain table-driven test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

BUILTIN_DIR = Path(__file__).parent / "instruments"
LANGUAGES = ("ja", "en")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
MISSING_RULES = ("none_allowed", "prorate")

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


# --- loading and validating definitions -----------------------------------------------------


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
    doc = _mapping(data, "definition")
    code = _string(doc, "code", "definition")
    if not CODE_PATTERN.match(code):
        raise DefinitionError("code", f"{code!r} must be lower-case letters, digits, - or _")
    shared_options = None
    if "response_options" in doc:
        shared_options = _options(doc["response_options"], "response_options")
    items = _items(doc.get("items"), shared_options)
    band_sets = tuple(
        _band_set(raw, f"band_sets[{i}]")
        for i, raw in enumerate(_list(doc.get("band_sets"), "band_sets"))
    )
    definition = Definition(
        code=code,
        version=_string(doc, "version", "definition"),
        name=_texts(doc.get("name"), "name"),
        time_frame=_texts(doc.get("time_frame", {}), "time_frame", required=False),
        instructions=_texts(doc.get("instructions", {}), "instructions", required=False),
        instructions_checked=_bool(doc.get("instructions", {}), "wording_checked", "instructions"),
        items=items,
        band_sets=band_sets,
        default_band_set=_string(doc, "default_band_set", "definition"),
        flags=tuple(
            _flag(raw, f"flags[{i}]") for i, raw in enumerate(_list(doc.get("flags", []), "flags"))
        ),
        missing=_missing(doc.get("missing_answers"), len(items)),
        higher_is=_choice(doc, "higher_is", ("worse", "better"), "definition"),
        licence=_texts(doc.get("licence"), "licence"),
        sources=tuple(_list_of_strings(doc.get("sources"), "sources")),
        notes=_texts(doc.get("notes", {}), "notes", required=False),
    )
    _check_consistency(definition)
    return definition


def _check_consistency(definition: Definition) -> None:
    keys = [band_set.key for band_set in definition.band_sets]
    if not keys:
        raise DefinitionError("band_sets", "at least one band set is required")
    if len(set(keys)) != len(keys):
        raise DefinitionError("band_sets", "band set keys must be unique")
    if definition.default_band_set not in keys:
        raise DefinitionError(
            "default_band_set", f"{definition.default_band_set!r} is not one of {', '.join(keys)}"
        )
    for i, band_set in enumerate(definition.band_sets):
        _check_coverage(band_set, definition.min_total, definition.max_total, f"band_sets[{i}]")
    for i, rule in enumerate(definition.flags):
        if not 1 <= rule.item <= len(definition.items):
            raise DefinitionError(f"flags[{i}].item", f"there is no item {rule.item}")


def _check_coverage(band_set: BandSet, low: int, high: int, where: str) -> None:
    """Bands must cover every possible total exactly once, in order."""
    expected = low
    for i, band in enumerate(band_set.bands):
        if band.low != expected:
            raise DefinitionError(
                f"{where}.bands[{i}]",
                f"starts at {band.low} but should start at {expected} (gap or overlap)",
            )
        if band.high < band.low:
            raise DefinitionError(f"{where}.bands[{i}]", "max is below min")
        expected = band.high + 1
    if expected - 1 != high:
        raise DefinitionError(
            f"{where}.bands", f"bands end at {expected - 1} but totals reach {high}"
        )


def _items(raw: object, shared: tuple[Option, ...] | None) -> tuple[Item, ...]:
    entries = _list(raw, "items")
    if not entries:
        raise DefinitionError("items", "at least one item is required")
    items = []
    for index, entry in enumerate(entries):
        where = f"items[{index}]"
        doc = _mapping(entry, where)
        number = _int(doc, "number", where)
        if number != index + 1:
            raise DefinitionError(f"{where}.number", f"is {number}; items are numbered 1, 2, 3 …")
        if "options" in doc:
            options = _options(doc["options"], f"{where}.options")
        elif shared is not None:
            options = shared
        else:
            raise DefinitionError(where, "no options and no shared response_options")
        items.append(
            Item(
                number=number,
                text=_texts(doc.get("text"), f"{where}.text", required=False),
                wording_checked=_bool(doc, "wording_checked", where),
                wording_source=str(doc.get("wording_source", "")),
                reverse=_bool(doc, "reverse", where),
                options=options,
            )
        )
    return tuple(items)


def _options(raw: object, where: str) -> tuple[Option, ...]:
    doc = _mapping(raw, where)
    _bool(doc, "wording_checked", where)
    choices = _list(doc.get("choices"), f"{where}.choices")
    if len(choices) < 2:
        raise DefinitionError(f"{where}.choices", "at least two choices are required")
    options = []
    for i, choice in enumerate(choices):
        entry = _mapping(choice, f"{where}.choices[{i}]")
        options.append(
            Option(
                value=_int(entry, "value", f"{where}.choices[{i}]"),
                label=_texts(entry.get("label"), f"{where}.choices[{i}].label", required=False),
            )
        )
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise DefinitionError(f"{where}.choices", "values must be unique")
    if sorted(values) != list(range(min(values), max(values) + 1)):
        raise DefinitionError(f"{where}.choices", "values must be consecutive whole numbers")
    return tuple(options)


def _band_set(raw: object, where: str) -> BandSet:
    doc = _mapping(raw, where)
    bands = []
    for i, entry in enumerate(_list(doc.get("bands"), f"{where}.bands")):
        band = _mapping(entry, f"{where}.bands[{i}]")
        bands.append(
            Band(
                key=_string(band, "key", f"{where}.bands[{i}]"),
                low=_int(band, "min", f"{where}.bands[{i}]"),
                high=_int(band, "max", f"{where}.bands[{i}]"),
                label=_texts(band.get("label"), f"{where}.bands[{i}].label"),
                concern=_bool(band, "concern", f"{where}.bands[{i}]"),
            )
        )
    if not bands:
        raise DefinitionError(f"{where}.bands", "at least one band is required")
    return BandSet(
        key=_string(doc, "key", where),
        version=_string(doc, "version", where),
        label=_texts(doc.get("label"), f"{where}.label"),
        source=_string(doc, "source", where),
        bands=tuple(bands),
    )


def _flag(raw: object, where: str) -> FlagRule:
    doc = _mapping(raw, where)
    return FlagRule(
        key=_string(doc, "key", where),
        item=_int(doc, "item", where),
        above=_int(doc, "above", where),
        safety=_bool(doc, "safety", where),
        label=_texts(doc.get("label"), f"{where}.label"),
        source=_string(doc, "source", where),
    )


def _missing(raw: object, item_count: int) -> MissingRule:
    doc = _mapping(raw, "missing_answers")
    kind = _choice(doc, "rule", MISSING_RULES, "missing_answers")
    if kind == "none_allowed":
        return MissingRule(kind)
    max_missing = _int(doc, "max_missing", "missing_answers")
    if not 1 <= max_missing < item_count:
        raise DefinitionError(
            "missing_answers.max_missing", f"must be between 1 and {item_count - 1}"
        )
    return MissingRule(kind, max_missing)


# --- small typed readers: each names where the fault is ---------------------------------------


def _pick(texts: Mapping[str, str | None], lang: str) -> str | None:
    return texts.get(lang) or None


def _mapping(raw: object, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise DefinitionError(where, "must be an object")
    return raw


def _list(raw: object, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise DefinitionError(where, "must be a list")
    return raw


def _string(doc: Mapping[str, Any], key: str, where: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(
            f"{where}.{key}" if where != "definition" else key, "must be a non-empty string"
        )
    return value


def _int(doc: Mapping[str, Any], key: str, where: str) -> int:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"{where}.{key}", "must be a whole number")
    return value


def _bool(doc: Mapping[str, Any], key: str, where: str) -> bool:
    value = doc.get(key)
    if not isinstance(value, bool):
        raise DefinitionError(f"{where}.{key}", "must be true or false")
    return value


def _choice(doc: Mapping[str, Any], key: str, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    value = doc.get(key)
    if value not in allowed:
        prefix = f"{where}.{key}" if where != "definition" else key
        raise DefinitionError(prefix, f"must be one of {', '.join(allowed)}")
    return str(value)


def _texts(raw: object, where: str, required: bool = True) -> dict[str, str | None]:
    """A ja/en text pair. Required pairs need both languages; optional ones may hold null."""
    doc = _mapping(raw, where)
    texts: dict[str, str | None] = {}
    for lang in LANGUAGES:
        value = doc.get(lang)
        if value is None and not required:
            texts[lang] = None
            continue
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{where}.{lang}", "must be a non-empty string")
        texts[lang] = value
    return texts


def _list_of_strings(raw: object, where: str) -> list[str]:
    values = _list(raw, where)
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{where}[{i}]", "must be a non-empty string")
    return values
