import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.imports.models import ColumnMapping, ImportJob
from ibasho.imports.tests.conftest import DATA
from ibasho.people.models import Person

pytestmark = pytest.mark.django_db


def upload(client, name: str, kind: str = "people"):  # type: ignore[no-untyped-def]
    with (DATA / name).open("rb") as handle:
        return client.post(reverse("imports:home"), {"kind": kind, "file": handle})


def test_upload_map_preview_fix_and_import(
    client_for, coordinator_a, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_a)
    response = upload(client, "wizard.xlsx")
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:mapping", args=[job.code])
    page = client.get(response.url).content.decode()
    assert "利用者コード" in page and "生まれた日" in page
    mapping = {"column_0": "external_id", "column_1": "name", "column_2": "reading",
               "column_3": "birth_date", "column_4": "address"}  # fmt: skip
    response = client.post(reverse("imports:mapping", args=[job.code]), mapping)
    assert response.status_code == 302
    preview = client.get(reverse("imports:job", args=[job.code])).content.decode()
    assert "Row 5, column C (ふりがな)" in preview
    assert "Row 6, column D (生まれた日)" in preview
    refused = client.post(reverse("imports:job", args=[job.code]), {})
    assert refused.status_code == 400 and Person.objects.count() == 0
    # The corrected file: its columns are remembered, so no mapping is needed.
    response = upload(client, "wizard-fixed.xlsx")
    fixed = ImportJob.objects.exclude(pk=job.pk).get()
    assert fixed.mapping["利用者コード"] == "external_id"
    assert "Row 5" not in client.get(reverse("imports:job", args=[fixed.code])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job", args=[fixed.code]), {})
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert (fixed.status, fixed.created) == ("done", 3)
    assert Person.objects.filter(family_name="林").get().family_name_kana == "ハヤシ"
    assert "3 new" in client.get(reverse("imports:job", args=[fixed.code])).content.decode()
    assert AuditEntry.objects.filter(action="imports.preview.read").exists()
    assert ColumnMapping.objects.filter(header="生まれた日", target="birth_date").exists()


def test_only_valid_rows_and_the_rejected_file(
    client_for, coordinator_a, sato, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_a)
    upload(client, "people-broken.xlsx")
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job", args=[job.code]), {"only_valid": "on"})
    job.refresh_from_db()
    assert (job.created, job.rejected) == (4, 2)
    download = client.get(reverse("imports:rejected", args=[job.code]))
    text = download.content.decode("utf-8")
    assert text.startswith("\ufeff") and text.count("\n") == 3
    assert "C:ふりがな" in text


def test_a_file_that_is_not_a_spreadsheet_is_refused(client_for, coordinator_a, tmp_path):
    client = client_for(coordinator_a)
    bogus = tmp_path / "list.xlsx"
    bogus.write_bytes(b"not a workbook")
    with bogus.open("rb") as handle:
        response = client.post(reverse("imports:home"), {"kind": "people", "file": handle})
    assert response.status_code == 400 and ImportJob.objects.count() == 0
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF")
    with other.open("rb") as handle:
        response = client.post(reverse("imports:home"), {"kind": "people", "file": handle})
    assert response.status_code == 400


def test_workers_analysts_and_other_organisations_see_nothing(
    client_for, coordinator_a, worker_a, analyst_a, worker_b
):
    upload(client_for(coordinator_a), "wizard.xlsx")
    job = ImportJob.objects.get()
    for membership in (worker_a, analyst_a, worker_b):
        client = client_for(membership)
        for name in ("imports:home",):
            assert client.get(reverse(name)).status_code == 404
        for name in ("imports:mapping", "imports:job", "imports:rejected"):
            assert client.get(reverse(name, args=[job.code])).status_code == 404
            assert client.post(reverse(name, args=[job.code]), {}).status_code == 404
    job.refresh_from_db()
    assert job.status == "uploaded"


def test_the_api_gives_status_and_results(
    client_for, api_client_for, coordinator_a, sato, analyst_a, worker_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(coordinator_a)
    upload(client, "people-broken.xlsx")
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job", args=[job.code]), {"only_valid": "on"})
    api = api_client_for(coordinator_a)
    listed = api.get("/api/v1/imports").json()
    assert listed["items"][0]["code"] == str(job.code) and listed["items"][0]["status"] == "done"
    detail = api.get(f"/api/v1/imports/{job.code}").json()
    assert (detail["created"], detail["rejected"]) == (4, 2)
    assert {(e["row"], e["column"]) for e in detail["errors"]} == {(5, "C"), (7, "D")}
    for outsider in (analyst_a, worker_b):
        assert api_client_for(outsider).get(f"/api/v1/imports/{job.code}").status_code == 404
        assert api_client_for(outsider).get("/api/v1/imports").status_code == 404
    assert api.get("/api/v1/imports/not-a-code").status_code in (404, 422)
