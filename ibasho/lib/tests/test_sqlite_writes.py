import fcntl
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ibasho.lib import sqlite_writes
from ibasho.lib.sqlite_writes import SerialisedWritesMiddleware, lock_path


def lock_is_free(path) -> bool:
    with path.open("a") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


SQLITE = "django.db.backends.sqlite3"


@pytest.fixture
def sqlite_file(monkeypatch, tmp_path):
    path = lock_path({"ENGINE": SQLITE, "NAME": str(tmp_path / "ibasho.sqlite3")})
    monkeypatch.setattr(sqlite_writes, "lock_path", lambda database: path)
    return path


def test_the_lock_file_sits_beside_a_database_file_only():
    assert lock_path({"ENGINE": SQLITE, "NAME": "/srv/ibasho.sqlite3"}) == Path(
        "/srv/ibasho.sqlite3.writes.lock"
    )
    assert lock_path({"ENGINE": SQLITE, "NAME": "file:memorydb?mode=memory"}) is None
    assert lock_path({"ENGINE": "django.db.backends.postgresql", "NAME": "ibasho"}) is None


@pytest.mark.parametrize(("method", "held"), [("post", True), ("delete", True), ("get", False)])
def test_a_writing_request_holds_the_lock_while_it_runs(sqlite_file, method, held):
    seen = []

    def view(request):
        seen.append(not lock_is_free(sqlite_file))
        return HttpResponse("ok")

    middleware = SerialisedWritesMiddleware(view)
    response = middleware(getattr(RequestFactory(), method)("/"))
    assert response.content == b"ok" and seen == [held]
    assert lock_is_free(sqlite_file)


def test_the_lock_is_released_when_the_view_fails(sqlite_file):
    def view(request):
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        SerialisedWritesMiddleware(view)(RequestFactory().post("/"))
    assert lock_is_free(sqlite_file)


def test_a_long_write_outside_a_request_holds_the_lock_once(sqlite_file):
    """An import takes the writers' lock; a task run inside a writing request (tasks run
    inline) finds it held by its own thread and goes on instead of waiting for itself."""
    assert lock_is_free(sqlite_file)
    with sqlite_writes.writes_serialised():
        assert not lock_is_free(sqlite_file)
        with sqlite_writes.writes_serialised():
            assert not lock_is_free(sqlite_file)
        assert not lock_is_free(sqlite_file)
    assert lock_is_free(sqlite_file)
