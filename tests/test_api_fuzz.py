"""Every operation of /api/v1/openapi.json, fed generated requests that fit the document and
requests that do not, with a coordinator's token and records that exist: no answer is a server
error, every status is one the document lists and every body matches its schema.

The suite runs a quick pass; `make fuzz` (part of `make test`) runs a few hundred examples per
operation (IBASHO_FUZZ_EXAMPLES)."""

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from ibasho.accounts.models import ApiToken
from ibasho.programmes import services as programmes
from ibasho.programmes.tests.factories import make_programme, make_session

EXAMPLES = int(os.environ.get("IBASHO_FUZZ_EXAMPLES", "10"))
CONTROL = re.compile(r"[\x01-\x1f\x7f]")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@contextmanager
def connections_kept() -> Iterator[None]:
    """Requests go to Django's WSGI handler in this thread, inside the test's transaction; like
    Django's test client, keep the handler from closing the connection around each request."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.fixture
def world(coordinator_a, worker_a, person_a):  # type: ignore[no-untyped-def]
    """A token and the codes of records it reaches, for the path and body parameters."""
    programme = make_programme(coordinator_a.organisation, capacity=10)
    session = make_session(programme, dt.date.today() - dt.timedelta(days=7))
    enrolment = programmes.enrol(programme, person=person_a, by=worker_a.user)
    _, token = ApiToken.issue(coordinator_a)
    mother = person_a.household.members.get(relationship="mother")
    return {
        "token": token,
        "people": str(person_a.code),
        "programmes": str(programme.code),
        "sessions": str(session.code),
        "enrolment": str(enrolment.code),
        "households": str(person_a.household.code),
        "family_member": str(mother.code),
    }


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def aim_at_records(case, world) -> None:  # type: ignore[no-untyped-def]
    """Well-formed codes are pointed at records that exist, so that requests reach the
    services; malformed ones are left as generated."""
    parts = case.path.strip("/").split("/")
    for name, value in (case.path_parameters or {}).items():
        if name == "enrolment" and _is_uuid(value):
            case.path_parameters[name] = world["enrolment"]
        elif name == "code" and _is_uuid(value):
            owner = parts[parts.index("{code}") - 1]
            case.path_parameters[name] = world.get(owner, value)
        elif name == "code" and "instruments" in parts and len(str(value)) % 2 == 0:
            case.path_parameters[name] = "k6"
    if isinstance(case.body, dict):
        for name in ("person", "family_member"):
            if _is_uuid(case.body.get(name)):
                case.body[name] = world["people" if name == "person" else name]
    # Generated text rarely holds NUL, the one character PostgreSQL refuses outright: text that
    # holds any control character is sent with NUL in its place.
    for values in (case.query, case.body):
        if isinstance(values, dict):
            for name, value in values.items():
                if isinstance(value, str) and CONTROL.search(value):
                    values[name] = CONTROL.sub("\x00", value)


# Loaded when the module is collected: the document does not depend on the data.
with connections_kept():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_answer_as_documented(case, world):  # type: ignore[no-untyped-def]
    aim_at_records(case, world)
    with connections_kept():
        response = case.call(headers={"Authorization": f"Bearer {world['token']}"})
    case.validate_response(response, checks=CHECKS)
