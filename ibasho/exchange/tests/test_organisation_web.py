"""An organisation admin starts the archive in the background and downloads it."""

import pytest

from ibasho.audit.models import AuditEntry
from ibasho.exchange import container
from ibasho.exchange.models import OrganisationExport

PASSPHRASE = "a long passphrase for the funder"


@pytest.mark.django_db
def test_an_admin_exports_the_organisation_and_downloads_it(
    client_for, admin_a, org_a, person_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.IBASHO_EXPORT_DIR = tmp_path
    client = client_for(admin_a)
    assert client.get("/export/organisation/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/export/organisation/",
            {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
        )
    assert response.status_code == 302
    job = OrganisationExport.objects.get()
    assert job.status == OrganisationExport.Status.DONE and job.passphrase == ""
    download = client.get(f"/export/organisation/{job.code}/download/")
    archive = tmp_path / "download.zip"
    archive.write_bytes(b"".join(download.streaming_content))
    with container.reading(archive, PASSPHRASE) as opened:
        assert "山田" in opened.read("csv/people.person.csv").decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "exchange.organisation_export_started",
        "exchange.organisation_exported",
        "exchange.organisation_export_downloaded",
    } <= actions


@pytest.mark.django_db
def test_differing_or_short_passphrases_start_nothing(client_for, admin_a):
    client = client_for(admin_a)
    for first, again in [(PASSPHRASE, PASSPHRASE + "x"), ("short", "short")]:
        response = client.post(
            "/export/organisation/", {"passphrase": first, "passphrase_again": again}
        )
        assert response.status_code == 200
    assert not OrganisationExport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator_a", "worker_a", "analyst_a", "worker_b"])
def test_only_the_organisation_admin_may_export_it(client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/export/organisation/").status_code == 404
    client.post("/export/organisation/", {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE})
    assert not OrganisationExport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_background_export_reads_in_a_snapshot_and_still_reports_progress(
    admin_a, org_a, person_a, settings, tmp_path
):
    """As the worker runs it: outside any transaction, so the read-only snapshot is real."""
    from ibasho.exchange.services import start_organisation_export

    settings.IBASHO_EXPORT_DIR = tmp_path
    # Outside a transaction the queued job runs at once (the tests' immediate task backend).
    job = start_organisation_export(org_a, passphrase=PASSPHRASE, by=admin_a.user)
    job.refresh_from_db()
    assert job.status == OrganisationExport.Status.DONE
    assert job.progress == 100 and job.rows > 0
    with container.reading(tmp_path / job.file_name, PASSPHRASE) as opened:
        assert "山田" in opened.read("csv/people.person.csv").decode()
