"""The kinds of notification. Apps above this one register theirs at import time (a registry,
so that this app knows none of them); the preferences page offers one e-mail switch per kind."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # a lazy translation
    email_by_default: bool = True


KINDS: dict[str, Kind] = {}


def register(key: str, label: Any, *, email_by_default: bool = True) -> Kind:
    kind = Kind(key, label, email_by_default)
    KINDS[key] = kind
    return kind


def label_of(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key
