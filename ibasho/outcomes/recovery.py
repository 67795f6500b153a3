"""Ibasho's recovery profile: domains rated 1-5 with anchored descriptions, defined as data.

The profile lives in ``recovery_profile.json``. This module loads and validates it, checks a set
of ratings against it and compares two sets. Pure: no Django, no database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PROFILE_PATH = Path(__file__).parent / "recovery_profile.json"
LANGUAGES = ("ja", "en")


class ProfileError(ValueError):
    """A rating (or the profile document) is invalid; ``where`` names the domain or field."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Domain:
    key: str
    name: Mapping[str, str]
    levels: tuple[Mapping[str, str], ...]  # index 0 is level 1

    def name_in(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]

    def anchor(self, level: int, lang: str) -> str:
        texts = self.levels[level - 1]
        return texts.get(lang) or texts["en"]


@dataclass(frozen=True)
class Profile:
    code: str
    version: str
    name: Mapping[str, str]
    about: Mapping[str, str]
    low: int
    high: int
    domains: tuple[Domain, ...]

    def domain(self, key: str) -> Domain:
        for domain in self.domains:
            if domain.key == key:
                return domain
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(domain.key for domain in self.domains)


def parse_profile(data: Any) -> Profile:
    if not isinstance(data, Mapping):
        raise ProfileError("profile", "must be an object")
    scale = data.get("scale") or {}
    low, high = scale.get("min"), scale.get("max")
    if not isinstance(low, int) or not isinstance(high, int) or low >= high:
        raise ProfileError("scale", "min and max must be whole numbers with min below max")
    domains = []
    for i, raw in enumerate(data.get("domains") or []):
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            raise ProfileError(f"domains[{i}].key", "must be a non-empty string")
        levels = raw.get("levels") or []
        if [entry.get("level") for entry in levels] != list(range(low, high + 1)):
            raise ProfileError(
                f"domains[{i}].levels", f"must describe every level {low}-{high} in order"
            )
        for entry in [raw.get("name") or {}, *levels]:
            for lang in LANGUAGES:
                if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                    raise ProfileError(f"domains[{i}]", f"a text is missing its {lang} version")
        domains.append(
            Domain(key, raw["name"], tuple({lang: e[lang] for lang in LANGUAGES} for e in levels))
        )
    if not domains:
        raise ProfileError("domains", "at least one domain is required")
    if len({d.key for d in domains}) != len(domains):
        raise ProfileError("domains", "domain keys must be unique")
    return Profile(
        code=str(data.get("code")),
        version=str(data.get("version")),
        name=data["name"],
        about=data["about"],
        low=low,
        high=high,
        domains=tuple(domains),
    )


@lru_cache(maxsize=1)
def load_profile() -> Profile:
    return parse_profile(json.loads(PROFILE_PATH.read_text(encoding="utf-8")))


def validate_ratings(profile: Profile, ratings: Mapping[str, object]) -> dict[str, int | None]:
    """Return one level (or None for "not rated") per domain; reject unknown domains and bad levels.

    A domain may be left unrated: a person may not want to answer every question.
    """
    unknown = sorted(set(ratings) - set(profile.keys))
    if unknown:
        raise ProfileError(unknown[0], "is not a domain of the recovery profile")
    result: dict[str, int | None] = {}
    for key in profile.keys:
        value = ratings.get(key)
        if value is None or value == "":
            result[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(key, f"{value!r} is not a whole number")
        if not profile.low <= value <= profile.high:
            raise ProfileError(key, f"{value} is not between {profile.low} and {profile.high}")
        result[key] = value
    if all(value is None for value in result.values()):
        raise ProfileError("ratings", "rate at least one domain")
    return result


def change(
    earlier: Mapping[str, int | None], later: Mapping[str, int | None]
) -> dict[str, int | None]:
    """Per-domain difference later - earlier; None where either side is unrated.

    A negative number is a step back, shown as such and never called failure.
    """
    result: dict[str, int | None] = {}
    for key in later:
        before, after = earlier.get(key), later.get(key)
        result[key] = None if before is None or after is None else after - before
    return result
