import datetime as dt
import json

import pytest

from ibasho.outcomes import scoring

K6_LOW = [0, 1, 0, 1, 0, 1]  # total 3, below the cut-off


@pytest.fixture
def k6():
    return scoring.builtin_definitions()["k6"]


@pytest.fixture
def phq9():
    return scoring.builtin_definitions()["phq9"]


@pytest.fixture
def record(worker_a):
    """Record an administration for a person through the service."""
    from ibasho.outcomes.services import record_administration

    def make(person, definition, answers, day=dt.date(2025, 4, 1), **extra):
        return record_administration(
            person, definition=definition, answers=answers, administered_on=day,
            respondent="self", by=worker_a.user, **extra,
        )  # fmt: skip

    return make


@pytest.fixture
def org_definition():
    """An organisation-defined instrument: the K6 document under another code."""

    def make(version="1", cutoff=5):
        raw = json.loads((scoring.BUILTIN_DIR / "k6.json").read_text(encoding="utf-8"))
        raw["code"], raw["version"] = "org-k6", version
        bands = raw["band_sets"][0]["bands"]
        bands[0]["max"], bands[1]["min"] = cutoff - 1, cutoff
        return raw

    return make
