"""The import wizard: upload → map the columns → preview every row → confirm → progress and
results. For coordinators and admins."""

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read
from ibasho.imports import columns, services
from ibasho.imports.duplicates import merge_same_person
from ibasho.imports.forms import ConfirmForm, DecisionForm, MappingForm, UploadForm
from ibasho.imports.models import ImportJob
from ibasho.lib.web import add_service_errors
from ibasho.people.models import Person, PossibleDuplicate
from ibasho.people.services import mark_not_same


def _job(request: MemberRequest, code: Any) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.visible_to(request.membership).select_related("organisation"), code=code
    )


@member_required(*SUPERVISOR_ROLES)
def home(request: MemberRequest) -> HttpResponse:
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.upload(
                by=request.user,
                organisation=request.membership.organisation,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                data=upload.read(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("imports:mapping", code=job.code)
    jobs = ImportJob.objects.visible_to(request.membership).defer("content")[:30]
    return render(
        request,
        "imports/home.html",
        {"form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


@member_required(*SUPERVISOR_ROLES)
def mapping(request: MemberRequest, code: Any) -> HttpResponse:
    job = _job(request, code)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("imports:job", code=job.code)
    try:
        table = services.table_for(job)
    except ValidationError:
        raise Http404 from None
    form = MappingForm(
        request.POST or None, kind=job.kind, headers=table.headers, mapping=job.mapping
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(job, by=request.user, mapping=form.mapping())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("imports:job", code=job.code)
    rows = [
        [("" if v is None else v) for v in r.values[: len(table.headers)]] for r in table.rows[:3]
    ]
    audit_read(request, "imports.mapping.read", job, count=len(rows))
    samples = {h: [r[i] for r in rows if i < len(r)] for i, h in enumerate(table.headers)}
    fields = [(f, samples.get(str(f.label), [])) for f in form]
    return render(
        request,
        "imports/mapping.html",
        {"job": job, "form": form, "fields": fields},
        status=400 if form.errors else 200,
    )


@member_required(*SUPERVISOR_ROLES)
def job(request: MemberRequest, code: Any) -> HttpResponse:
    """The preview before confirming; then the progress; then the results."""
    job = _job(request, code)
    context: dict[str, Any] = {"job": job}
    if job.status == ImportJob.Status.UPLOADED:
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.confirm(
                    job,
                    by=request.user,
                    language=get_language() or "ja",
                    only_valid=form.cleaned_data["only_valid"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("imports:job", code=job.code)
        rows = services.check(job)
        table = services.table_for(job)
        audit_read(request, "imports.preview.read", job, count=len(rows))
        context.update(
            form=form,
            rows=rows,
            headers=table.headers,
            skipped_totals=table.skipped_totals,
            mapped=[
                columns.label(job.kind, job.mapping.get(h, "")) if job.mapping.get(h) else ""
                for h in table.headers
            ],
            invalid=sum(1 for r in rows if not r.ok),
            counts={
                a: sum(1 for r in rows if r.ok and r.action == a)
                for a in ("create", "update", "unchanged")
            },
        )
        return render(request, "imports/preview.html", context, status=400 if form.errors else 200)
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        context["progress"] = services.progress_of(job)
    else:
        audit_read(request, "imports.results.read", job, count=job.rejected)
    return render(request, "imports/job.html", context)


@member_required(*SUPERVISOR_ROLES)
def rejected(request: MemberRequest, code: Any) -> HttpResponse:
    """The rejected rows as CSV (UTF-8 with BOM, which Excel opens) with an error column."""
    job = _job(request, code)
    if job.status != ImportJob.Status.DONE or not job.errors:
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out)
    rows = list(services.rejected_rows(services.table_for(job), job.errors))
    writer.writerows(rows)
    audit_read(request, "imports.rejected.read", job, count=len(rows) - 1)
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = _("rejected") + ".csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# -- possible duplicates --------------------------------------------------------------------


@member_required(*SUPERVISOR_ROLES)
def duplicate_list(request: MemberRequest) -> HttpResponse:
    pairs = list(
        PossibleDuplicate.objects.visible_to(request.membership)
        .filter(status=PossibleDuplicate.Status.OPEN, other__isnull=False)
        .select_related("person", "other")[:200]
    )
    audit_list(request, "people.duplicate_list.viewed", people_in_pairs(pairs))
    return render(request, "imports/duplicates.html", {"pairs": pairs})


def people_in_pairs(pairs: list[PossibleDuplicate]) -> int:
    return len({p.person_id for p in pairs} | {p.other_id for p in pairs})


@member_required(*SUPERVISOR_ROLES)
def duplicate_detail(request: MemberRequest, code: Any) -> HttpResponse:
    """The two records side by side, and the decision."""
    pair = get_object_or_404(
        PossibleDuplicate.objects.visible_to(request.membership).select_related(
            "person", "other", "decided_by"
        ),
        code=code,
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "same":
                merge_same_person(pair, by=request.user)
            else:
                mark_not_same(pair, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("imports:duplicate_detail", code=pair.code)
    audit_read(request, "people.duplicate.viewed", pair, person=pair.person)
    return render(request, "imports/duplicate.html", {
        "pair": pair, "form": form, "rows": side_by_side(pair),
    }, status=400 if form.errors else 200)  # fmt: skip


def side_by_side(pair: PossibleDuplicate) -> list[tuple[str, str, str, bool]]:
    """Label, first value, second value, whether they differ (for the fields that tell people
    apart)."""
    rows = []
    names = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "birth_year",
        "gender",
        "prefecture",
        "municipality",
        "household",
        "created_at",
    )
    for name in names:
        field = Person._meta.get_field(name)
        values = []
        for person in (pair.person, pair.other):
            if person is None:
                values.append("")
                continue
            display = getattr(person, f"get_{name}_display", None)
            value = display() if display else getattr(person, name)
            if isinstance(value, dt.datetime):
                value = date_format(timezone.localtime(value), "DATETIME_FORMAT")
            elif isinstance(value, dt.date):
                value = date_format(value, "DATE_FORMAT")
            values.append("" if value is None else str(value))
        label = str(
            _("registered on") if name == "created_at" else getattr(field, "verbose_name", name)
        )
        rows.append((label, values[0], values[1], values[0] != values[1]))
    return rows


def duplicates_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """On the person's page, for coordinators and admins: records that may be the same person."""
    if request.membership.role not in SUPERVISOR_ROLES:
        return None
    pairs = list(
        PossibleDuplicate.objects.visible_to(request.membership)
        .filter(status=PossibleDuplicate.Status.OPEN, other__isnull=False)
        .filter(Q(person=person) | Q(other=person))
        .select_related("person", "other")
    )
    if not pairs:
        return None
    return {"pairs": [(p, p.other if p.person_id == person.pk else p.person) for p in pairs]}
