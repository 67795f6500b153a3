# One record of every kind in organisation A (and B beside it), as the route walk builds it.
from tests.test_every_route import world  # noqa: F401
