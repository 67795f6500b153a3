"""Provision records: the organisation's list for coordinators and admins (with its CSV and
PDF for an inspection), and one person's records. Everyone else gets 404."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read
from ibasho.people.models import Person
from ibasho.provisions import listing
from ibasho.provisions.forms import FilterForm
from ibasho.provisions.models import ProvisionRecord

supervisors = member_required(*SUPERVISOR_ROLES)
PAGE = 200


def _filtered(request: MemberRequest) -> tuple[FilterForm, listing.Filters]:
    form = FilterForm(request.GET or None)
    filters = listing.Filters()
    if form.is_valid():
        filters = listing.Filters(**form.cleaned_data)
    return form, filters


def _records(request: MemberRequest, filters: listing.Filters) -> list[ProvisionRecord]:
    return listing.rows(filters.apply(ProvisionRecord.objects.visible_to(request.membership)))


def _people(records: list[ProvisionRecord]) -> int:
    return len({r.person_code for r in records})


@supervisors
def index(request: MemberRequest) -> HttpResponse:
    form, filters = _filtered(request)
    records = _records(request, filters)
    audit_list(request, "provisions.list.viewed", _people(records))
    query = request.GET.urlencode()
    return render(
        request,
        "provisions/index.html",
        {"form": form, "records": records[:PAGE], "total": len(records), "query": query},
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@supervisors
def export_csv(request: MemberRequest) -> HttpResponse:
    _form, filters = _filtered(request)
    records = _records(request, filters)
    audit_list(request, "provisions.list.csv", _people(records))
    day = request.membership.organisation.today().isoformat()
    return _download(
        listing.as_csv(records), "text/csv; charset=utf-8", f"provision-records-{day}.csv"
    )


@supervisors
def export_pdf(request: MemberRequest) -> HttpResponse:
    _form, filters = _filtered(request)
    records = _records(request, filters)
    audit_list(request, "provisions.list.pdf", _people(records))
    organisation = request.membership.organisation
    content = listing.as_pdf(records, organisation=organisation, filters=filters)
    day = organisation.today().isoformat()
    return _download(content, "application/pdf", f"provision-records-{day}.pdf")


@member_required()
def person(request: MemberRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Person.objects.visible_to(request.membership), code=code)
    records = listing.rows(ProvisionRecord.objects.visible_to(request.membership).about(found))
    audit_read(request, "provisions.person.viewed", found, person=found, count=len(records))
    return render(request, "provisions/person.html", {"person": found, "records": records})
