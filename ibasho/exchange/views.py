from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES, Role
from ibasho.audit.services import audit_read
from ibasho.exchange import person as disclosure
from ibasho.exchange import services
from ibasho.exchange.forms import ExportForm
from ibasho.exchange.models import OrganisationExport
from ibasho.exchange.tasks import export_dir
from ibasho.lib.web import saved
from ibasho.people.models import Person

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def _person(request: MemberRequest, code: Any) -> Person:
    people = Person.objects.visible_to(request.membership).select_related("organisation")
    return get_object_or_404(people, code=code)


@member_required(*SUPERVISOR_ROLES)
def person_export(request: MemberRequest, code: Any) -> HttpResponse:
    person = _person(request, code)
    audit_read(request, "exchange.person_export.viewed", person, person=person)
    return render(request, "exchange/person_export.html", {"person": person})


@member_required(*SUPERVISOR_ROLES)
def person_export_file(request: MemberRequest, code: Any, fmt: str) -> HttpResponse:
    person = _person(request, code)
    content = disclosure.export_person(person, fmt, by=request.user)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = disclosure.file_name(person, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required(Role.ADMIN)
def organisation_export(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = ExportForm(request.POST or None)

    def save(**data: Any) -> None:
        services.start_organisation_export(
            membership.organisation, passphrase=data["passphrase"], by=request.user
        )

    if saved(request, form, save):
        return redirect("exchange:organisation_export")
    jobs = OrganisationExport.objects.filter(organisation_id=membership.organisation_id)[:20]
    return render(request, "exchange/organisation_export.html", {"form": form, "jobs": jobs})


@member_required(Role.ADMIN)
def organisation_export_file(request: MemberRequest, code: Any) -> FileResponse:
    job = get_object_or_404(
        OrganisationExport.objects.select_related("organisation"),
        organisation_id=request.membership.organisation_id,
        code=code,
        status=OrganisationExport.Status.DONE,
    )
    path = export_dir() / job.file_name
    if not job.file_name or not path.is_file():
        raise Http404
    audit_read(request, "exchange.organisation_export_downloaded", job)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
