"""Send report reads to a read replica when one is configured (REPLICA_DATABASE_URL).

Reports wrap their queries in `reading_from_replica()`; everything else, and every write,
stays on the primary, so a worker never reads their own write from a lagging replica."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)
REPLICA = "replica"


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _use_replica.get() and has_replica():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
