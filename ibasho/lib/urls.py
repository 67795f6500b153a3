"""Links for long lists: `reverse()` once per page instead of once per row."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

# A code no record has: reversed once, then replaced by each row's code.
_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def link_by_code(name: str) -> Callable[[Any], str]:
    """A function giving the URL named `name` for a record's code (a UUID). A row of the Today
    list holds three links; reversing each cost more than the page's SQL."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    return lambda code: pattern.replace(_PLACEHOLDER, str(code))
