"""Report pages, their files, the glossary, population figures and background jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role
from ibasho.lib.charts import sparkline_svg
from ibasho.lib.web import add_service_errors
from ibasho.reports import definitions as d
from ibasho.reports import exports, periods, services, worker_glossary
from ibasho.reports.forms import PeriodForm, PopulationForm, PopulationImportForm
from ibasho.reports.models import PopulationFigure, ReportJob
from ibasho.reports.present import shown_table, shown_tables, suppression_note
from ibasho.reports.suppression import cell_text
from ibasho.reports.tables import Report

EVERYONE = tuple(Role.values)


def _period_form(request: MemberRequest) -> PeriodForm:
    organisation = request.membership.organisation
    return PeriodForm(
        request.GET or None,
        today=organisation.today(),
        start_month=organisation.fiscal_year_start_month,
    )


def _kind(kind: str) -> str:
    if kind not in services.KINDS:
        raise Http404
    return kind


def _period_and_rates(request: MemberRequest) -> tuple[PeriodForm, periods.Period | None, str]:
    form = _period_form(request)
    if not request.GET:
        form.is_valid()  # an unbound form: the defaults below
        organisation = request.membership.organisation
        today = organisation.today()
        return form, periods.month_period(today.year, today.month), d.DEFAULT_RATE_SET
    if not form.is_valid():
        return form, None, d.DEFAULT_RATE_SET
    return form, form.cleaned_data["report_period"], form.cleaned_data["rate_set"]


def _internal(request: MemberRequest) -> bool:
    """Staff see the unsuppressed internal report unless they ask for the published one."""
    return services.sees_unsuppressed(request.membership) and not request.GET.get("published")


@member_required(*EVERYONE)
def report_page(request: MemberRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    organisation = request.membership.organisation
    form, period, rate_set = _period_and_rates(request)
    context: dict[str, Any] = {"form": form, "kind": kind, "kinds": services.KINDS,
                               "rate_sets": d.RATE_SETS}  # fmt: skip
    if period is None:
        return render(request, "reports/report.html", context, status=400)
    if period.days > d.LONGEST_INLINE_DAYS:
        context.update(too_long=True, period=period)
        return render(request, "reports/report.html", context)
    report = services.build_report(kind, organisation, period, rate_set=rate_set)
    if not _internal(request):
        report = services.publish(report, organisation)
    else:
        report.threshold = services.threshold_for(organisation)
    services.add_sentences(report)
    query = request.GET.copy()
    query.pop("published", None)
    context.update(_report_context(report), query=query.urlencode(), internal=_internal(request),
                   period=period, links=_period_links(request, period))  # fmt: skip
    return render(request, "reports/report.html", context)


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "tables": shown_tables(report),
        "headlines": [
            (h, cell_text(h.value, h.state, report.threshold, h.kind)) for h in report.headlines
        ],
        "note": suppression_note(report),
    }


def _period_links(request: MemberRequest, period: periods.Period) -> dict[str, str]:
    """Query strings for the month, fiscal year and previous/next period around `period`."""
    organisation = request.membership.organisation
    start_month = organisation.fiscal_year_start_month
    year = periods.fiscal_year_period(
        periods.fiscal_year(period.start, start_month), start_month
    ).start.year
    month = f"{period.start.year}-{period.start.month:02d}"
    links = {
        "month": f"period=month&month={month}",
        "fiscal_year": f"period=fiscal_year&year={year}",
    }
    if period.kind == periods.MONTH:
        before = periods.add_months(period.start, -1)
        after = periods.add_months(period.start, 1)
        links["previous"] = f"period=month&month={before.year}-{before.month:02d}"
        links["next"] = f"period=month&month={after.year}-{after.month:02d}"
    elif period.kind == periods.FISCAL_YEAR:
        links["previous"] = f"period=fiscal_year&year={year - 1}"
        links["next"] = f"period=fiscal_year&year={year + 1}"
    return links


@member_required(*EVERYONE)
def report_file(request: MemberRequest, kind: str, fmt: str) -> HttpResponse:
    """A file of the report, always suppressed: files leave the organisation."""
    kind = _kind(kind)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    organisation = request.membership.organisation
    form, period, rate_set = _period_and_rates(request)
    if period is None:
        return render(request, "reports/report.html", {"form": form, "kind": kind,
                      "kinds": services.KINDS}, status=400)  # fmt: skip
    if period.days > d.LONGEST_INLINE_DAYS:
        return render(request, "reports/report.html", {"form": form, "kind": kind,
                      "kinds": services.KINDS, "too_long": True, "period": period})  # fmt: skip
    report = services.build_report(kind, organisation, period, rate_set=rate_set)
    report = services.add_sentences(services.publish(report, organisation))
    return exports.file_response(report, fmt)


@member_required(*EVERYONE)
def glossary(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "reports/glossary.html",
        {
            "terms": d.GLOSSARY,
            "worker_terms": worker_glossary.worker_terms(),
            "methods": [
                (label, [str(c.label) for c in d.Channel if d.method_of(c) == key])
                for key, label in d.METHODS
            ],
            "rate_sets": d.RATE_SETS.values(),
        },
    )


@member_required(*EVERYONE)
def home(request: MemberRequest) -> HttpResponse:
    """The evidence home (an analyst's first page): headline figures of this month and this
    fiscal year with sparklines, the persistence charts and the unreached gap, all suppressed."""
    organisation = request.membership.organisation
    found = services.home_reports(organisation)
    this_month, this_year = found["this_month"], found["this_year"]
    month, year, persistence = found["month"], found["year"], found["persistence"]
    months, unreached = found["twelve"].table("month"), found["unreached"]
    start_month = organisation.fiscal_year_start_month
    sparks = {
        key: sparkline_svg(
            [row.values[index] for row in months.rows],  # type: ignore[misc]
            label=_("Last 12 months"),
        )
        for index, key in ((0, "people"), (1, "contacts"))
    }
    headlines = [
        (h, cell_text(h.value, h.state, month.threshold, h.kind),
         cell_text(y.value, y.state, year.threshold, y.kind), sparks.get(h.key, ""))
        for h, y in zip(month.headlines, year.headlines, strict=True)
    ]  # fmt: skip
    persistence_tables = {t.key: t for t in shown_tables(persistence)}
    return render(
        request,
        "reports/home.html",
        {
            "headlines": headlines,
            "this_month": this_month,
            "this_year": this_year,
            "year_label": this_year.label(start_month),
            "persistence": [persistence_tables[k] for k in ("attempts", "days_to_reply")],
            "unreached": shown_table(unreached.tables[0], unreached.threshold),
            "unreached_report": unreached,
            "kinds": services.KINDS,
            "note": suppression_note(month),
            "made_at": found["made_at"],
        },
    )


# -- population figures ----------------------------------------------------------------------


@member_required(Role.ADMIN)
def population(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = PopulationForm(request.POST or None)
    upload = PopulationImportForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_population_figures(
                organisation,
                [
                    {
                        k: data[k]
                        for k in ("municipality", "year", "age_from", "age_to", "population")
                    }
                ],  # fmt: skip
                source=data["source"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Population figure saved."))
            return redirect("reports:population")
    return _population_page(request, form, upload)


def _population_page(
    request: MemberRequest, form: PopulationForm, upload: PopulationImportForm, status: int = 200
) -> HttpResponse:
    organisation = request.membership.organisation
    figures = PopulationFigure.objects.filter(organisation_id=organisation.pk)
    return render(
        request,
        "reports/population.html",
        {"form": form, "upload": upload, "figures": figures},
        status=status if not form.errors else 400,
    )


@member_required(Role.ADMIN)
@require_POST
def population_import(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    upload = PopulationImportForm(request.POST, request.FILES)
    if upload.is_valid():
        raw = upload.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp932", errors="replace")  # e-Stat's Shift_JIS downloads
        try:
            rows = services.parse_population_csv(text, upload.cleaned_data["year"])
            saved = services.save_population_figures(
                organisation, rows, source=upload.cleaned_data["source"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(upload, error)
        else:
            messages.success(request, _("%(n)s population figures imported.") % {"n": saved})
            return redirect("reports:population")
    return _population_page(request, PopulationForm(), upload, status=400)


# -- background jobs -------------------------------------------------------------------------


@member_required(*EVERYONE)
@require_POST
def job_create(request: MemberRequest) -> HttpResponse:
    from ibasho.reports.tasks import run_report_job

    membership = request.membership
    kind = _kind(request.POST.get("kind", ""))
    form = PeriodForm(
        request.POST,
        today=membership.organisation.today(),
        start_month=membership.organisation.fiscal_year_start_month,
    )
    if not form.is_valid():
        return render(request, "reports/report.html", {"form": form, "kind": kind,
                      "kinds": services.KINDS}, status=400)  # fmt: skip
    period = form.cleaned_data["report_period"]
    job = ReportJob.objects.create(
        organisation=membership.organisation,
        kind=kind,
        date_from=period.start,
        date_to=period.end,
        options={"period": period.kind, "rate_set": form.cleaned_data["rate_set"]},
        language=get_language() or "ja",
        requested_by=membership.user,
    )
    run_report_job.enqueue(job.pk)
    return redirect("reports:job_detail", code=job.code)


def _job(request: MemberRequest, code: Any) -> ReportJob:
    return get_object_or_404(
        ReportJob.objects.select_related("organisation"),
        organisation_id=request.membership.organisation_id,
        code=code,
    )


@member_required(*EVERYONE)
def job_detail(request: MemberRequest, code: Any) -> HttpResponse:
    job = _job(request, code)
    context: dict[str, Any] = {"job": job, "kinds": services.KINDS}
    if job.status == ReportJob.Status.DONE and job.result:
        report = Report.from_json(job.result)
        if not services.sees_unsuppressed(request.membership):
            report = services.publish(report, job.organisation)
        else:
            report.threshold = services.threshold_for(job.organisation)
        context.update(_report_context(services.add_sentences(report)))
    return render(request, "reports/job.html", context)


@member_required(*EVERYONE)
def job_file(request: MemberRequest, code: Any) -> HttpResponse:
    job = _job(request, code)
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.CONTENT_TYPES or job.status != ReportJob.Status.DONE or not job.result:
        raise Http404
    report = services.publish(Report.from_json(job.result), job.organisation)
    return exports.file_response(services.add_sentences(report), fmt)


@member_required(*EVERYONE)
def job_list(request: MemberRequest) -> HttpResponse:
    jobs = ReportJob.objects.filter(organisation_id=request.membership.organisation_id).defer(
        "result"
    )[:50]
    return render(request, "reports/jobs.html", {"jobs": jobs, "kinds": services.KINDS,
                  "report_url": reverse("reports:home")})  # fmt: skip
