import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are asserted by their English text."""
    with translation.override("en"):
        yield
