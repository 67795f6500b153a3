from django.db.models import Model

from ibasho.lib import replica
from ibasho.lib.replica import ReplicaRouter, reading_from_replica


def test_reads_go_to_the_replica_only_inside_the_block(monkeypatch):
    monkeypatch.setattr(replica, "has_replica", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(Model) is None
    with reading_from_replica():
        assert router.db_for_read(Model) == "replica"
        assert router.db_for_write(Model) == "default"
    assert router.db_for_read(Model) is None


def test_without_a_replica_everything_stays_on_the_primary():
    assert not replica.has_replica()
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Model) is None


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate("default", "people")
    assert not ReplicaRouter().allow_migrate("replica", "people")
