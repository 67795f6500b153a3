"""Which open programmes fit what a person (or a family member) asks for.

A worker shows the person a menu to choose from, so the filter only removes what cannot fit;
it never ranks people or decides for them. `reasons_against` says why an offer was left out.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time

EVENING_FROM = time(17, 0)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


class Mode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Audience(enum.StrEnum):
    PERSON = "person"
    FAMILY = "family"
    BOTH = "both"


@dataclass(frozen=True)
class Offer:
    code: str
    kind: str
    mode: Mode = Mode.IN_PERSON
    audience: Audience = Audience.PERSON
    women_only: bool = False
    starts_at: time | None = None
    weekdays: frozenset[int] = frozenset()
    capacity: int | None = None  # None: no limit
    enrolled: int = 0
    is_open: bool = True
    min_age: int | None = None
    max_age: int | None = None

    @property
    def free_places(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.enrolled, 0)


@dataclass(frozen=True)
class Needs:
    online_only: bool = False
    women_only: bool = False
    evening: bool = False
    weekend: bool = False
    for_family: bool = False
    # Whether the one choosing is a woman; None when not recorded (women-only offers still shown).
    woman: bool | None = None
    age: int | None = None
    kinds: frozenset[str] = frozenset()  # empty: any kind
    already_enrolled: frozenset[str] = field(default_factory=frozenset)
    include_full: bool = False


def reasons_against(offer: Offer, needs: Needs) -> tuple[str, ...]:
    """Codes for every reason the offer does not fit; empty when it fits."""
    checks = (
        ("closed", not offer.is_open),
        ("enrolled", offer.code in needs.already_enrolled),
        ("full", not needs.include_full and offer.free_places == 0),
        ("kind", bool(needs.kinds) and offer.kind not in needs.kinds),
        ("not_online", needs.online_only and offer.mode is Mode.IN_PERSON),
        ("not_women_only", needs.women_only and not offer.women_only),
        ("women_only", offer.women_only and needs.woman is False),
        (
            "not_evening",
            needs.evening and (offer.starts_at is None or offer.starts_at < EVENING_FROM),
        ),
        ("not_weekend", needs.weekend and not offer.weekdays & WEEKEND),
        ("not_for_family", needs.for_family and offer.audience is Audience.PERSON),
        ("not_for_person", not needs.for_family and offer.audience is Audience.FAMILY),
        (
            "age",
            needs.age is not None
            and (
                (offer.min_age is not None and needs.age < offer.min_age)
                or (offer.max_age is not None and needs.age > offer.max_age)
            ),
        ),
    )
    return tuple(code for code, failed in checks if failed)


def matching(offers: Iterable[Offer], needs: Needs) -> list[Offer]:
    return [offer for offer in offers if not reasons_against(offer, needs)]
