"""Provision and receipt records: the one write door and its refusals, the lists per person
and per organisation (page, CSV, PDF, API), who may see them, and how long they are kept."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from ibasho.audit.models import AuditEntry
from ibasho.lifecycle import retention
from ibasho.lifecycle.models import BatchItem, RecordType, ShreddingBatch
from ibasho.people.models import Person
from ibasho.provisions import services
from ibasho.provisions.models import Basis, Direction, ProvisionRecord, Via

pytestmark = pytest.mark.django_db


def provide(person, to, actor, **change):
    values = dict(
        organisation=person.organisation, person=person, recipient_organisation=to,
        items=["profile", "contacts"], basis=Basis.CONSENT, via=Via.REFERRAL, actor=actor,
    )  # fmt: skip
    values.update(change)
    return services.record_provision(**values)


def test_a_provision_records_who_what_to_whom_and_why_and_is_audited(
    person_a, org_b, coordinator_a
):
    record = provide(person_a, org_b, coordinator_a, reference="R-1")
    assert record.direction == Direction.PROVISION
    assert record.counterpart_name == org_b.name and record.counterpart_code == org_b.code
    assert (record.person, record.person_code) == (person_a, person_a.code)
    assert record.person_name == "山田 太郎"
    assert record.items == ["profile", "contacts"]
    assert record.on == person_a.organisation.today()
    assert record.actor == coordinator_a.user
    entry = AuditEntry.objects.get(action="provisions.provision_recorded")
    assert (entry.person_code, entry.actor) == (person_a.code, coordinator_a.user)


def test_the_name_snapshot_is_stored_encrypted(person_a, org_b, coordinator_a):
    from django.db import connection

    record = provide(person_a, org_b, coordinator_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_name FROM provisions_provisionrecord WHERE id = %s", [record.pk]
        )
        (stored,) = cursor.fetchone()
    assert "山田" not in stored


def test_a_receipt_names_its_source_and_how_they_obtained_it(person_a, org_b, worker_b):
    # B receives what A shared about A's person: B holds no record of them, so the receipt
    # keeps the snapshot and A's code, not a key to A's row.
    record = services.record_receipt(
        organisation=org_b, person=person_a, source_organisation=person_a.organisation,
        items=["profile"], basis=Basis.SUPPORT_MEETING, via=Via.SUPPORT_MEETING,
        how_obtained="本人・家族からの相談", actor=worker_b,
    )  # fmt: skip
    assert record.direction == Direction.RECEIPT and record.person is None
    assert record.person_code == person_a.code and record.person_name == "山田 太郎"
    assert record.counterpart_name == person_a.organisation.name


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on": dt.date(1900, 1, 1)}, "on"),
        ({"on": dt.date.today() + dt.timedelta(days=3)}, "on"),
        ({"items": []}, "items"),
        ({"items": ["profile", "diary"]}, "items"),
        ({"items": "profile"}, "items"),
        ({"basis": "whim"}, "basis"),
        ({"via": "pigeon"}, "via"),
        ({"reference": "R\x00-1"}, "reference"),
        ({"reference": "R" * 101}, "reference"),
        ({"recipient_organisation": None, "recipient_name": ""}, "counterpart"),
        ({"recipient_organisation": None, "recipient_name": "区役所\x07"}, "counterpart"),
        ({"recipient_organisation": None, "recipient_name": "区" * 201}, "counterpart"),
    ],
)
def test_a_provision_is_refused_with_the_field_that_was_wrong(
    person_a, org_b, coordinator_a, change, field
):
    with pytest.raises(ValidationError) as refused:
        provide(person_a, org_b, coordinator_a, **change)
    assert field in refused.value.message_dict
    assert not ProvisionRecord.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="provisions.").exists()


def test_a_provision_of_another_organisations_person_or_to_itself_is_refused(
    person_a, org_a, org_b, coordinator_a, worker_b
):
    with pytest.raises(ValidationError):
        services.record_provision(
            organisation=org_b, person=person_a, recipient_name="区役所", items=["profile"],
            basis=Basis.CONSENT, via=Via.REFERRAL, actor=worker_b,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        provide(person_a, org_a, coordinator_a)
    with pytest.raises(ValidationError):  # an actor of another organisation
        provide(person_a, org_b, worker_b)
    with pytest.raises(ValidationError) as refused:  # a receipt needs how it was obtained
        services.record_receipt(
            organisation=org_b, person=person_a, source_organisation=org_a, items=["profile"],
            basis=Basis.CONSENT, via=Via.REFERRAL, how_obtained=" ", actor=worker_b,
        )  # fmt: skip
    assert "how_obtained" in refused.value.message_dict
    assert not ProvisionRecord.objects.exists()


# -- who sees them -----------------------------------------------------------------------


@pytest.fixture
def records(person_a, org_b, coordinator_a, worker_b):
    today = person_a.organisation.today()
    made = [
        provide(person_a, org_b, coordinator_a, on=today - dt.timedelta(days=40)),
        provide(
            person_a, None, coordinator_a, recipient_name="川口市福祉課", basis=Basis.LAW,
            via=Via.EXPORT,
        ),
    ]  # fmt: skip
    # B's own record, which A never sees.
    other = Person.objects.create(organisation=org_b, family_name="別人", family_name_kana="べつ")
    services.record_provision(
        organisation=org_b, person=other, recipient_name="よそ", items=["profile"],
        basis=Basis.CONSENT, via=Via.REFERRAL, actor=worker_b,
    )  # fmt: skip
    return made


def test_coordinators_list_and_filter_the_organisations_records(records, client_for, coordinator_a):
    client = client_for(coordinator_a)
    page = client.get("/provisions/").content.decode()
    assert "川口市福祉課" in page and "ひきこもり地域支援センター" in page and "別人" not in page
    assert "山田 太郎" in page
    only_law = client.get("/provisions/?basis=law").content.decode()
    assert "川口市福祉課" in only_law and "ひきこもり地域支援センター" not in only_law
    today = records[1].on
    recent = client.get(f"/provisions/?date_from={today - dt.timedelta(days=7)}")
    assert "ひきこもり地域支援センター" not in recent.content.decode()
    receipts = client.get("/provisions/?direction=receipt").content.decode()
    assert "川口市福祉課" not in receipts
    assert AuditEntry.objects.filter(action="provisions.list.viewed", count=1).exists()


def test_the_csv_opens_in_excel_and_the_pdf_is_a_japanese_a4_document(
    records, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    response = client.get("/provisions/records.csv?basis=law")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][2] == "川口市福祉課" and rows[1][3] == "山田 太郎"
    pdf = client.get("/provisions/records.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "川口市福祉課" in text and "山田" in text
    assert AuditEntry.objects.filter(action="provisions.list.csv").exists()
    assert AuditEntry.objects.filter(action="provisions.list.pdf").exists()


@pytest.mark.parametrize("who", ["worker_a", "analyst_a", "worker_b"])
def test_the_organisation_list_is_for_coordinators_and_admins_only(
    records, client_for, who, request
):
    client = client_for(request.getfixturevalue(who))
    for path in ["/provisions/", "/provisions/records.csv", "/provisions/records.pdf"]:
        response = client.get(path)
        assert response.status_code == 404 or "川口市福祉課" not in response.content.decode()
    if who != "worker_b":
        assert client.get("/provisions/").status_code == 404


def test_the_person_page_lists_the_persons_records(records, person_a, client_for, worker_a):
    client = client_for(worker_a)
    page = client.get(f"/people/{person_a.code}/records/").content.decode()
    assert 'id="provisions-panel"' in page and "川口市福祉課" in page
    mine = client.get(f"/provisions/people/{person_a.code}/")
    assert mine.status_code == 200 and "ひきこもり地域支援センター" in mine.content.decode()
    assert AuditEntry.objects.filter(
        action="provisions.person.viewed", person_code=person_a.code
    ).exists()


@pytest.mark.parametrize("who", ["analyst_a", "worker_b"])
def test_another_organisation_and_the_analyst_get_404_for_a_person(
    records, person_a, client_for, who, request
):
    assert (
        client_for(request.getfixturevalue(who))
        .get(f"/provisions/people/{person_a.code}/")
        .status_code
        == 404
    )


def test_the_api_lists_per_organisation_and_per_person_with_the_same_rules(
    records, person_a, api_client_for, coordinator_a, worker_a, analyst_a, worker_b
):
    api = api_client_for(coordinator_a)
    listed = api.get("/api/v1/provisions").json()
    assert {r["counterpart_name"] for r in listed} == {"川口市福祉課", "ひきこもり地域支援センター"}
    assert [r["basis"] for r in api.get("/api/v1/provisions?basis=law").json()] == ["law"]
    assert api.get("/api/v1/provisions?basis=whim").status_code == 422
    assert api.get("/api/v1/provisions?date_from=yesterday").status_code == 422
    assert len(api.get(f"/api/v1/people/{person_a.code}/provisions").json()) == 2
    mine = api_client_for(worker_a).get(f"/api/v1/people/{person_a.code}/provisions")
    assert len(mine.json()) == 2
    assert api_client_for(worker_a).get("/api/v1/provisions").status_code == 404
    assert api_client_for(analyst_a).get("/api/v1/provisions").status_code == 404
    for outsider in (analyst_a, worker_b):
        response = api_client_for(outsider).get(f"/api/v1/people/{person_a.code}/provisions")
        assert response.status_code == 404
    b_list = api_client_for(worker_b).get("/api/v1/provisions")
    assert b_list.status_code == 404  # a worker: not for them either
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/provisions" in schema["paths"]
    assert "/api/v1/people/{code}/provisions" in schema["paths"]


def test_the_admin_site_shows_operators_the_records_and_changes_none(records, client_for, admin_a):
    from django.test import Client

    from ibasho.accounts.models import User

    operator = User.objects.create_superuser("operator", "op@example.jp", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    page = client.get("/admin/provisions/provisionrecord/")
    assert page.status_code == 200 and "山田" not in page.content.decode()
    assert client.get("/admin/provisions/provisionrecord/add/").status_code == 403
    record = records[0]
    assert client.post(f"/admin/provisions/provisionrecord/{record.pk}/delete/").status_code == 403
    assert client_for(admin_a).get("/admin/provisions/provisionrecord/").status_code in (403, 404)


# -- a per-person export for a third party --------------------------------------------------


def test_an_export_for_a_third_party_writes_a_provision_record(person_a, client_for, coordinator_a):
    client = client_for(coordinator_a)
    url = f"/export/people/{person_a.code}/"
    own = client.post(url, {"for_whom": "person", "format": "json"})
    assert own.status_code == 200 and own["Content-Type"] == "application/json"
    assert not ProvisionRecord.objects.exists()
    missing = client.post(url, {"for_whom": "third_party", "format": "pdf", "basis": "consent"})
    assert "Name the recipient." in missing.content.decode()
    assert not ProvisionRecord.objects.exists()
    sent = client.post(
        url,
        {
            "for_whom": "third_party",
            "recipient": "川口市福祉課",
            "basis": "consent",
            "format": "pdf",
        },  # fmt: skip
    )
    assert sent["Content-Type"] == "application/pdf"
    record = ProvisionRecord.objects.get()
    assert (record.via, record.basis) == ("export", "consent")
    assert record.counterpart_name == "川口市福祉課"
    assert record.items == ["profile", "contacts", "instruments", "family", "safety"]


def test_the_api_export_for_a_third_party_writes_a_provision_record(
    person_a, api_client_for, coordinator_a
):
    api = api_client_for(coordinator_a)
    url = f"/api/v1/people/{person_a.code}/export"
    assert api.get(f"{url}?for_whom=third_party").status_code == 422
    assert api.get(f"{url}?for_whom=third_party&recipient=%00x").status_code == 422
    assert not ProvisionRecord.objects.exists()
    assert api.get(f"{url}?for_whom=third_party&recipient=区役所&basis=law").status_code == 200
    assert ProvisionRecord.objects.get().basis == "law"


# -- how long they are kept -----------------------------------------------------------------


def _shred_identity(person, done_at):
    batch = ShreddingBatch.objects.create(
        organisation=person.organisation, reason=ShreddingBatch.Reason.RETENTION,
        status=ShreddingBatch.Status.DONE, prepared_on=done_at.date(), done_at=done_at,
    )  # fmt: skip
    BatchItem.objects.create(
        organisation=person.organisation, batch=batch, person=person,
        record_type=RecordType.IDENTITY,
    )  # fmt: skip


def test_records_outlive_shredding_for_the_configured_years(
    person_a, org_b, coordinator_a, settings
):
    settings.IBASHO_PROVISION_RECORD_YEARS = 5
    today = person_a.organisation.today()
    old = provide(person_a, org_b, coordinator_a, on=today - dt.timedelta(days=6 * 366))
    held = Person.objects.create(
        organisation=person_a.organisation, family_name="保持", family_name_kana="ほじ"
    )
    still_held = provide(held, org_b, coordinator_a, on=today - dt.timedelta(days=6 * 366))
    # Shredded a year ago: the record stays until five years after the shredding.
    _shred_identity(person_a, timezone.now() - dt.timedelta(days=366))
    assert retention.prune_provision_records(person_a.organisation) == 0
    # Shredded six years ago: its time is over.
    BatchItem.objects.all().delete()
    _shred_identity(person_a, timezone.now() - dt.timedelta(days=6 * 366))
    assert retention.prune_provision_records(person_a.organisation) == 1
    assert not ProvisionRecord.objects.filter(pk=old.pk).exists()
    # A person still held keeps their records (they may ask to see them).
    assert ProvisionRecord.objects.filter(pk=still_held.pk).exists()


def test_fewer_than_three_years_is_not_allowed(settings):
    settings.IBASHO_PROVISION_RECORD_YEARS = 1
    assert services.record_years() == 3
