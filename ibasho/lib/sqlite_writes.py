"""Writers to an SQLite database take turns on a file lock."""

import contextlib
import fcntl
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Whether this thread holds the writers' lock.
_held = threading.local()


def lock_path(database: Mapping[str, Any]) -> Path | None:
    """The lock file beside an SQLite database file; None for an in-memory database or
    another engine."""
    name = str(database["NAME"])
    if database["ENGINE"] != "django.db.backends.sqlite3" or name.startswith(("file:", ":")):
        return None
    return Path(f"{name}.writes.lock")


class SerialisedWritesMiddleware:
    """On SQLite, requests that change data wait their turn on a file lock. SQLite admits one
    writer at a time and makes the others poll with growing sleeps, so with eight people
    saving at once the slowest saves took over a second; the kernel hands a released lock to
    the next writer at once. Reads are not held up: WAL lets them run beside the writer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        path = lock_path(settings.DATABASES["default"])
        if path is None:
            raise MiddlewareNotUsed
        self.path = path
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with writes_serialised():
            return self.get_response(request)


@contextlib.contextmanager
def writes_serialised() -> Iterator[None]:
    """Hold the writers' lock outside a request (a long import): requests that change data wait
    their turn on it rather than on SQLite's busy timeout, which a long transaction outlasts.
    Nothing to do on another engine or an in-memory database."""
    path = lock_path(settings.DATABASES["default"])
    if path is None or getattr(_held, "lock", False):
        yield  # another engine, or this thread holds the lock already (a request's own task)
        return
    # A file opened per holder: threads of one process must exclude each other too.
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _held.lock = True
        try:
            yield
        finally:
            _held.lock = False
