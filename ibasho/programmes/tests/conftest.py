import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Error messages are asserted in English; the UI default is Japanese."""
    with translation.override("en"):
        yield
