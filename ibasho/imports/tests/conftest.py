from pathlib import Path

import pytest
from django.db import transaction

from conftest import make_member
from ibasho.accounts.models import Role
from ibasho.imports import columns
from ibasho.imports.readers import read_table
from ibasho.imports.services import import_rows

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


@pytest.fixture
def sato(org_a):  # type: ignore[no-untyped-def]
    return make_member(org_a, "sato", Role.WORKER)


def table(name: str, kind: str):  # type: ignore[no-untyped-def]
    return read_table((DATA / name).read_bytes(), name, columns.scorer(kind))


def run(org, by, name: str, kind: str, *, only_valid: bool = False, mapping=None):  # type: ignore[no-untyped-def]
    found = table(name, kind)
    chosen = columns.recognise(kind, found.headers)
    chosen.update(mapping or {})
    with transaction.atomic():
        return import_rows(org, kind, found, chosen, by=by, only_valid=only_valid)
