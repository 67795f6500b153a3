"""Phone numbers are stored encrypted, so they cannot be matched in the database. Beside each
one a keyed hash of its digits is kept (HMAC-SHA256, the key derived from the newest field
key), and a search for a number compares hashes: an exact match on the digits, whatever the
spelling (090-1234-5678, ０９０１２３４５６７８, +81 90 1234 5678). The hash tells nothing
without the key; `ibasho rotate_field_keys` computes them again with the new key."""

import hashlib
import hmac
import re
import unicodedata
from functools import cache

from django.conf import settings

_NOT_DIGIT = re.compile(r"\D")
# Numbers as short as a 110/119 line or a 4-digit extension are not worth a search.
SHORTEST = 6


def digits(number: str) -> str:
    """The number's digits, full-width folded, an international +81 written as a leading 0."""
    text = unicodedata.normalize("NFKC", number or "").strip()
    found = _NOT_DIGIT.sub("", text)
    if text.startswith("+81") and found.startswith("81"):
        found = "0" + found[2:]
    return found


@cache
def _key(newest: str) -> bytes:
    return hashlib.sha256(b"ibasho phone search\x00" + newest.encode()).digest()


def phone_hash(number: str) -> str:
    """The search hash of a number, or "" when it has too few digits to be searched."""
    found = digits(number)
    if len(found) < SHORTEST:
        return ""
    key = _key(settings.FIELD_ENCRYPTION_KEYS[0])
    return hmac.new(key, found.encode(), hashlib.sha256).hexdigest()


def looks_like_phone(query: str) -> bool:
    """A search box entry that is a phone number rather than a name."""
    text = unicodedata.normalize("NFKC", query or "").strip()
    return (
        bool(text) and len(digits(text)) >= SHORTEST and not re.search(r"[^\d\s\-+()ー−‐–—]", text)
    )
