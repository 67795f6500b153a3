"""Japanese text conventions: names are sorted by their kana reading (gojūon order) and found
whether the user types kanji, hiragana, katakana or half-width katakana."""

import unicodedata

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_TO_KATAKANA = 0x60
_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_VOICING_MARKS = {"\u3099", "\u309a"}


def normalise_kana(text: str) -> str:
    """NFKC (half-width katakana become full-width), hiragana become katakana, spaces go."""
    text = unicodedata.normalize("NFKC", text or "")
    chars = []
    for char in text:
        code = ord(char)
        if _HIRAGANA_START <= code <= _HIRAGANA_END:
            char = chr(code + _TO_KATAKANA)
        if not char.isspace():
            chars.append(char)
    return "".join(chars)


def _base_kana(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if c not in _VOICING_MARKS)
    return unicodedata.normalize("NFC", stripped).translate(_SMALL_TO_LARGE)


def reading_sort_key(*readings: str) -> str:
    """A key that orders readings as a Japanese dictionary does: first by the plain kana
    (voiced and small kana count as their base), then by the exact reading to break ties."""
    normalised = [normalise_kana(r) for r in readings]
    primary = "\u3000".join(_base_kana(r) for r in normalised)
    secondary = "\u3000".join(normalised)
    return f"{primary}\u3001{secondary}"


def search_text(*parts: str) -> str:
    """The text a search is matched against: every part normalised, case folded."""
    return " ".join(normalise_kana(part).casefold() for part in parts if part)


def search_term(query: str) -> str:
    return normalise_kana(query).casefold()
