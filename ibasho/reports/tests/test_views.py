"""Every report page, file and endpoint: who may open it, what they see, and what it holds."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from ibasho.reports.models import PopulationFigure, ReportJob
from ibasho.reports.tests.helpers import contact

pytestmark = pytest.mark.django_db

APRIL = "period=month&month=2026-04"
PAGES = [
    reverse("reports:home"),
    reverse("reports:glossary"),
    reverse("reports:job_list"),
    *(f"{reverse('reports:report', args=[k])}?{APRIL}"
      for k in ("contacts", "programmes", "outcomes", "persistence", "unreached")),
    *(f"{reverse('reports:report_file', args=['contacts', f])}?{APRIL}"
      for f in ("csv", "xlsx", "pdf")),
]  # fmt: skip


@pytest.fixture
def april(org_a, person_a):  # type: ignore[no-untyped-def]
    for day in range(1, 4):
        contact(org_a, person_a, dt.date(2026, 4, day))
    return person_a


@pytest.mark.parametrize("url", PAGES)
def test_every_member_role_opens_every_page_and_no_name_is_shown(
    client_for, worker_a, analyst_a, coordinator_a, april, url
):
    for membership in (worker_a, coordinator_a, analyst_a):
        response = client_for(membership).get(url)
        assert response.status_code == 200, (membership.role, url)
        if response["Content-Type"].startswith("text/"):
            body = response.content.decode("utf-8-sig")
            assert april.family_name not in body and april.preferred_name not in body


def test_a_stranger_is_sent_to_log_in(client, org_a):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_worker_of_another_organisation_sees_only_their_own_figures(client_for, worker_b, april):
    response = client_for(worker_b).get(f"{reverse('reports:report', args=['contacts'])}?{APRIL}")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.table("month").total.values[:2] == [0, 0]


def test_worker_sees_the_internal_report_and_the_analyst_the_published_one(
    client_for, worker_a, analyst_a, april
):
    url = f"{reverse('reports:report', args=['contacts'])}?{APRIL}"
    internal = client_for(worker_a).get(url).context["report"]
    assert not internal.suppressed and internal.table("month").total.values[:2] == [1, 3]
    published = client_for(analyst_a).get(url).context["report"]
    assert published.suppressed
    assert published.table("month").total.values[:2] == [None, None]
    asked = client_for(worker_a).get(url + "&published=1").context["report"]
    assert asked.suppressed


def test_files_are_always_suppressed(client_for, worker_a, april):
    url = reverse("reports:report_file", args=["contacts", "csv"])
    response = client_for(worker_a).get(f"{url}?{APRIL}")
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "<5" in text and "NPO法人 あおぞら" in text


def test_the_excel_file_holds_the_same_figures(client_for, analyst_a, april):
    from openpyxl import load_workbook

    url = reverse("reports:report_file", args=["contacts", "xlsx"])
    book = load_workbook(io.BytesIO(client_for(analyst_a).get(f"{url}?{APRIL}").content))
    assert len(book.sheetnames) >= 9
    values = [c for row in book.worksheets[1].iter_rows(values_only=True) for c in row]
    assert "<5" in values


def test_the_pdf_names_the_organisation_and_the_period(client_for, analyst_a, april):
    from pypdf import PdfReader

    url = reverse("reports:report_file", args=["contacts", "pdf"])
    response = client_for(analyst_a).get(f"{url}?{APRIL}", HTTP_ACCEPT_LANGUAGE="ja")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "NPO法人 あおぞら" in text and "2026" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=month&month=2026-13", "YYYY-MM"),
        ("period=custom&date_from=2026-05-01&date_to=2026-04-01", "before"),
        ("period=custom&date_from=2026-05-01", "both"),
        ("period=fiscal_year&year=abc", "whole number"),
    ],
)
def test_bad_periods_are_refused_clearly(client_for, analyst_a, query, message):
    response = client_for(analyst_a).get(f"{reverse('reports:report', args=['contacts'])}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_report_is_404(client_for, worker_a):
    assert client_for(worker_a).get(reverse("reports:report", args=["nothing"])).status_code == 404
    url = reverse("reports:report_file", args=["contacts", "docx"])
    assert client_for(worker_a).get(url).status_code == 404


def test_a_long_period_runs_as_a_job_with_a_download(client_for, worker_a, worker_b, april):
    page = client_for(worker_a).get(
        f"{reverse('reports:report', args=['contacts'])}"
        "?period=custom&date_from=2024-04-01&date_to=2026-06-30"
    )
    assert page.context["too_long"]
    response = client_for(worker_a).post(
        reverse("reports:job_create"),
        {
            "kind": "contacts",
            "period": "custom",
            "date_from": "2024-04-01",
            "date_to": "2026-06-30",
        },  # fmt: skip
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and str(job.code) in response["Location"]
    assert job.status == ReportJob.Status.DONE and job.progress == 100  # the immediate backend
    assert job.result["tables"][0]["total"]["values"][:2] == [1, 3]
    detail = client_for(worker_a).get(reverse("reports:job_detail", args=[job.code]))
    assert detail.status_code == 200 and detail.context["report"].table("month")
    csv = client_for(worker_a).get(reverse("reports:job_file", args=[job.code]) + "?format=csv")
    assert "<5" in csv.content.decode("utf-8-sig")
    for url in (reverse("reports:job_detail", args=[job.code]),
                reverse("reports:job_file", args=[job.code]) + "?format=csv"):  # fmt: skip
        assert client_for(worker_b).get(url).status_code == 404


def test_analyst_sees_a_jobs_result_suppressed(client_for, worker_a, analyst_a, april):
    client_for(worker_a).post(
        reverse("reports:job_create"),
        {
            "kind": "contacts",
            "period": "custom",
            "date_from": "2026-04-01",
            "date_to": "2026-04-30",
        },  # fmt: skip
    )
    job = ReportJob.objects.get()
    report = (
        client_for(analyst_a).get(reverse("reports:job_detail", args=[job.code])).context["report"]
    )
    assert report.suppressed and report.table("month").total.values[0] is None


E_STAT = (
    "\ufeff表章項目,地域,年齢5歳階級,時間軸,値\n"
    "人口,11203_川口市,総数,2024年,600000\n"
    '人口,11203_川口市,15～19歳,2024年,"30,000"\n'
    "人口,11203_川口市,20～24歳,2024年,32000\n"
    "人口,11203_川口市,60～64歳,2024年,35000\n"
    "人口,11203_川口市,65～69歳,2024年,36000\n"
)


def test_admin_imports_an_e_stat_csv_and_sees_known_against_estimated(
    client_for, admin_a, worker_a, analyst_a, person_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("estat.csv", E_STAT.encode())
    response = client_for(admin_a).post(
        reverse("reports:population_import"), {"file": upload, "source": "e-Stat"}
    )
    assert response.status_code == 302
    assert PopulationFigure.objects.filter(organisation=admin_a.organisation).count() == 4
    url = f"{reverse('reports:report', args=['unreached'])}?period=fiscal_year&year=2026"
    report = client_for(analyst_a).get(url).context["report"]
    row = report.table("unreached").rows[0]
    # (30,000 + 32,000) × 2.05 % + 35,000 × 2.02 % = 1,271 + 707 = 1,978; 65–69 is outside.
    assert row.label == "川口市" and row.values[:2] == [97000, 1978]
    assert row.states[2] == "small"  # one known person
    assert report.extra["rate_source"].startswith("内閣府")
    other = client_for(analyst_a).get(url + "&rate_set=cao2010").context["report"]
    assert other.table("unreached").rows[0].values[1] == 1110  # 62,000 × 1.79 % = 1,109.8
    for membership in (worker_a, analyst_a):
        assert client_for(membership).get(reverse("reports:population")).status_code == 404


def test_a_file_without_the_needed_columns_is_refused(client_for, admin_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    response = client_for(admin_a).post(reverse("reports:population_import"), {"file": upload})
    assert response.status_code == 400 and "人口" in response.content.decode()
    assert not PopulationFigure.objects.exists()


def test_admin_enters_a_figure(client_for, admin_a):
    data = {"municipality": "川口市", "year": 2024, "age_from": 40, "age_to": 44,
            "population": 41000, "source": "e-Stat"}  # fmt: skip
    assert client_for(admin_a).post(reverse("reports:population"), data).status_code == 302
    bad = {**data, "age_from": 50}
    assert client_for(admin_a).post(reverse("reports:population"), bad).status_code == 400
    assert PopulationFigure.objects.get().population == 41000


def test_analyst_lands_on_the_evidence_home(client_for, analyst_a):
    assert client_for(analyst_a).get(reverse("home"))["Location"] == reverse("reports:home")


# -- API -------------------------------------------------------------------------------------


def test_api_returns_the_same_suppressed_figures(api_client_for, analyst_a, worker_a, april):
    for membership in (analyst_a, worker_a):
        response = api_client_for(membership).get(
            "/api/v1/reports/contacts?date_from=2026-04-01&date_to=2026-04-30&group_by=method"
        )
        assert response.status_code == 200
        body = response.json()
        assert body["suppressed"] and [t["key"] for t in body["tables"]] == ["method"]
        total = body["tables"][0]["total"]["cells"]
        assert total[0] == {"value": None, "text": "5未満"}  # Japanese unless asked otherwise
        assert "山田" not in response.content.decode()


def test_api_of_another_organisation_holds_only_its_figures(api_client_for, worker_b, april):
    response = api_client_for(worker_b).get(
        "/api/v1/reports/contacts?date_from=2026-04-01&date_to=2026-04-30"
    )
    assert response.status_code == 200
    month = next(t for t in response.json()["tables"] if t["key"] == "month")
    assert [c["value"] for c in month["total"]["cells"]][:2] == [0, 0]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("contacts?date_from=2026-05-01&date_to=2026-04-01", 422),
        ("contacts?date_from=2026-05-01", 422),
        ("contacts?group_by=shoe_size", 422),
        ("contacts?date_from=2020-01-01&date_to=2026-01-01", 422),
        ("unreached?rate_set=nope", 422),
        ("nothing", 404),
        ("contacts?date_from=yesterday&date_to=2026-01-01", 422),
    ],
)
def test_api_refuses_bad_input(api_client_for, analyst_a, query, status):
    response = api_client_for(analyst_a).get(f"/api/v1/reports/{query}")
    assert response.status_code == status
    assert response.json()["detail"]


def test_api_needs_a_token(client, org_a):
    assert client.get("/api/v1/reports/contacts").status_code == 401


def test_the_report_endpoint_is_in_the_openapi_document(api_client_for, analyst_a):
    from ibasho.api import api

    assert "/api/v1/reports/{kind}" in api.get_openapi_schema()["paths"]


def test_the_evidence_home_keeps_its_figures_for_a_few_minutes(
    client_for, analyst_a, org_a, person_a, settings, monkeypatch
):
    from ibasho.reports import services

    today = org_a.today()
    contact(org_a, person_a, today)
    built = []
    build = services.build_report
    monkeypatch.setattr(
        services, "build_report", lambda *a, **k: built.append(a[0]) or build(*a, **k)
    )
    client = client_for(analyst_a)

    def contacts_this_month():  # type: ignore[no-untyped-def]
        response = client.get(reverse("reports:home"))
        assert response.status_code == 200 and "data-made-at" in response.content.decode()
        return dict((h.key, m) for h, m, _y, _s in response.context["headlines"])["contacts"]

    first = contacts_this_month()
    assert first != "6" and len(built) == 5  # one contact: shown as below the threshold
    for _ in range(5):
        contact(org_a, person_a, today)
    assert contacts_this_month() == first and len(built) == 5  # kept: not built again
    settings.REPORTS_HOME_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()  # what the passing of the minutes does
    assert contacts_this_month() == "6" and len(built) == 10
