"""Rows made in Python for a template to print many times."""

from typing import Any


class Row:
    """Django's template engine reads `row.name` by trying `row["name"]` first, and a plain
    object refuses that with an exception, then the engine asks again for the attribute: a
    microsecond lost per value, thousands of times on a long page. A `Row` answers the first
    question directly (dataclasses inherit it; `__slots__` keeps them as they were)."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)
