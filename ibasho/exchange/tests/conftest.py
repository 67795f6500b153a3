# One record of every kind in organisation A (and B beside it), as the route walk builds it.
import pytest
from django.utils import translation

from tests.test_every_route import world  # noqa: F401


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are asserted by their English text."""
    with translation.override("en"):
        yield
