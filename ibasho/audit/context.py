"""Where the current request came from, for the audit trail: the channel (web, API or a
command), the client's address and the API token used. Set once per request by the web
middleware or the API guard; every audit entry written while it is set carries it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    channel: str = "system"  # "web", "api" or "system" (commands, tasks)
    ip: str | None = None
    token_id: int | None = None


_SYSTEM = Origin()
_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _origin.get() or _SYSTEM


@contextmanager
def request_origin(origin: Origin) -> Iterator[Origin]:
    reset = _origin.set(origin)
    try:
        yield origin
    finally:
        _origin.reset(reset)
