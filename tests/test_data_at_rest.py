"""Special-care and contact data at rest: records written through the services and pages with a
marker in every encrypted field, then the database's own bytes searched for the markers (the
SQLite file, or a pg_dump of the PostgreSQL database). Nothing may be found; a marker in a
column kept clear on purpose (a name) is found, which shows that the search reads the data."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from ibasho.families import services as families
from ibasho.lib.fields import ENCRYPTED_FIELDS
from ibasho.notifications.services import notify
from ibasho.outcomes import kato, scoring
from ibasho.outcomes import services as outcomes
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.people import restriction
from ibasho.people import services as people

pytestmark = pytest.mark.django_db(transaction=True)

CLEAR = "ZQXCLEARNAME"  # a family name: names stay clear for search
MARKERS = {
    "Person.preferred_name": "ZQXPREFERRED",
    "FamilyMember.phone": "0907135246",
    "FamilyMember.health": "hospitalised",
    "FamilyMember.income_source": "savings",
    "Contact.next_step": "ZQXNEXTSTEP",
    "SafetyEvent.kind": "suicide_risk",
    "SafetyEvent.source": "phq9_item9",
    "Administration.band": "moderately_severe",
    "Administration.band_label": "中等度〜重度",
    "ContingencyPlan.public_assistance": "documents_ready",
    "KatoAssessment.reason": "meets_criteria",
    "Restriction.note": "ZQXRESTRICTIONNOTE",
    "GlassBreak.reason": "ZQXGLASSREASON",
    "Notification.body": "ZQXNOTIFICATIONBODY",
    "ContactDetails.street": "ZQXSTREET",
    "ContactDetails.postcode": "100-0001",
    "ContactDetails.email": "zqxmail@example.jp",
    "ContactDetails.emergency_name": "ZQXEMERGENCY",
    "ContactDetails.medical_name": "ZQXCLINIC",
    "Phone.number": "090-7135-2468",
    "Phone.label": "ZQXPHONELABEL",
    "Benefit.grade": "ZQXGRADE",
    "Benefit.kind": "disability_certificate",
}
# The fields this protection added; each must hold a value in the test, so none is untried.
NEW_FIELDS = {
    "people.Person.preferred_name", "people.FamilyMember.phone", "people.FamilyMember.health",
    "people.FamilyMember.income_source", "outreach.Contact.next_step",
    "families.SafetyEvent.kind", "families.SafetyEvent.source",
    "families.HouseholdCircumstances.violence", "families.ContingencyPlan.public_assistance",
    "outcomes.Administration.answers", "outcomes.Administration.band",
    "outcomes.Administration.band_label", "outcomes.Administration.flags",
    "outcomes.KatoAssessment.status", "outcomes.KatoAssessment.severity",
    "outcomes.KatoAssessment.reason", "outcomes.KatoAssessment.days_out_per_week",
    "outcomes.KatoAssessment.continuous_months", "outcomes.KatoAssessment.rarely_leaves_room",
    "outcomes.KatoAssessment.impairment_or_distress", "people.Restriction.reason",
    "people.Restriction.note", "people.GlassBreak.reason", "notifications.Notification.body",
    "people.ContactDetails.postcode", "people.ContactDetails.street",
    "people.ContactDetails.directions", "people.ContactDetails.email",
    "people.ContactDetails.line_name", "people.ContactDetails.emergency_name",
    "people.ContactDetails.emergency_relation", "people.ContactDetails.emergency_phone",
    "people.ContactDetails.medical_name", "people.ContactDetails.medical_phone",
    "people.Phone.label", "people.Phone.number", "people.Benefit.kind", "people.Benefit.grade",
}  # fmt: skip


def write_everything(org, worker, coordinator, client_for) -> None:  # type: ignore[no-untyped-def]
    by = worker.user
    person = people.create_person(
        by=by, organisation=org, assign=by, family_name=CLEAR, family_name_kana="ぜっと",
        preferred_name=MARKERS["Person.preferred_name"],
    )  # fmt: skip
    household = people.create_household_for(person, by=by, name="世帯", name_kana="せたい")
    people.save_contact_details(
        person, by=by, postcode=MARKERS["ContactDetails.postcode"],
        street=MARKERS["ContactDetails.street"], directions="ZQXDIRECTIONS",
        email=MARKERS["ContactDetails.email"], line_name="ZQXLINE",
        emergency_name=MARKERS["ContactDetails.emergency_name"], emergency_relation="ZQXREL",
        emergency_phone="03-1111-2222", medical_name=MARKERS["ContactDetails.medical_name"],
        medical_phone="03-3333-4444",
        phones=[{"label": MARKERS["Phone.label"], "number": MARKERS["Phone.number"]}],
        benefits=[{"kind": MARKERS["Benefit.kind"], "grade": MARKERS["Benefit.grade"]}],
    )  # fmt: skip
    mother = people.add_family_member(
        household, by=by, name="母", relationship="mother", phone=MARKERS["FamilyMember.phone"],
        income_source=MARKERS["FamilyMember.income_source"],
    )  # fmt: skip
    families.update_health(mother, health="hospitalised", since=org.today(), by=by)
    outreach.record_contact(
        person, by=by, channel=Contact.Channel.PHONE, reached=Contact.Reached.PERSON,
        outcome=Contact.Outcome.SPOKE_BY_PHONE, duration_minutes=10,
        next_step=MARKERS["Contact.next_step"],
    )  # fmt: skip
    phq9 = scoring.builtin_definitions()["phq9"]
    outcomes.record_administration(
        person, definition=phq9, answers=[2, 2, 2, 2, 2, 2, 2, 2, 1],
        administered_on=org.today(), respondent="self", by=by,
    )  # fmt: skip
    outcomes.record_kato_assessment(
        person, answers=kato.KatoAnswers(1, True, 12, True), assessed_on=org.today(), by=by
    )
    client = client_for(worker)
    client.post(reverse("families:circumstances_edit", args=[household.code]), {"violence": "on"})
    client.post(
        reverse("families:plan_edit", args=[household.code]),
        {"public_assistance": "documents_ready", "review_every_months": 6},
    )
    restriction.restrict(
        person, by=coordinator.user, reason="hiding", note=MARKERS["Restriction.note"]
    )
    colleague = coordinator.__class__.objects.create(
        organisation=org, user=type(by).objects.create_user("colleague"), role="worker"
    )
    restriction.break_glass(person, by=colleague.user, reason=MARKERS["GlassBreak.reason"])
    notify([coordinator], restriction.RESTRICTED_OPENED, subject="x",
           body=MARKERS["Notification.body"])  # fmt: skip


def stored_bytes(tmp_path: Path) -> bytes:
    """Everything the database holds, as it holds it."""
    if connection.vendor == "sqlite":
        if connection.settings_dict["NAME"] in ("", ":memory:") or "mode=memory" in str(
            connection.settings_dict["NAME"]
        ):
            copy = tmp_path / "copy.sqlite3"
            with connection.cursor() as cursor:  # the test database lives in memory
                cursor.execute("VACUUM INTO %s", [str(copy)])
            return copy.read_bytes()
        return Path(connection.settings_dict["NAME"]).read_bytes()
    settings = connection.settings_dict
    command = [shutil.which("pg_dump") or "pg_dump", "--data-only", "-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    return subprocess.run(command, check=True, capture_output=True, env=env).stdout


def test_no_marker_is_found_in_the_stored_bytes(
    org_a, worker_a, coordinator_a, client_for, tmp_path
):
    write_everything(org_a, worker_a, coordinator_a, client_for)
    data = stored_bytes(tmp_path)
    assert CLEAR.encode() in data  # the search sees the data
    found = {field: m for field, m in MARKERS.items() if m.encode("utf-8") in data}
    assert found == {}


def test_every_encrypted_column_holds_only_ciphertext(org_a, worker_a, coordinator_a, client_for):
    write_everything(org_a, worker_a, coordinator_a, client_for)
    quote = connection.ops.quote_name
    filled = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, ENCRYPTED_FIELDS):
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)}"  # noqa: S608
                )
                raw = [value for (value,) in cursor.fetchall() if value not in (None, "")]
            assert all(str(value).startswith("gAAAAA") for value in raw), (model, field.name)
            if raw:
                filled.add(f"{model._meta.label}.{field.name}")
    assert filled >= NEW_FIELDS, NEW_FIELDS - filled


def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path):
    from ibasho.lib.secrets import private_file

    database = tmp_path / "data" / "ibasho.sqlite3"
    private_file(database)
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        assert (database.parent.stat().st_mode & 0o777) == 0o700
        for path in database.parent.iterdir():  # the database, its WAL and shared memory
            assert (path.stat().st_mode & 0o777) == 0o600, path.name
