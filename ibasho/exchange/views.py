from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES, Role
from ibasho.audit.services import audit_read
from ibasho.exchange import person as disclosure
from ibasho.exchange import services
from ibasho.exchange.forms import ExportForm, ForWhomForm
from ibasho.exchange.models import OrganisationExport
from ibasho.exchange.tasks import export_dir
from ibasho.lib.web import add_service_errors, saved
from ibasho.people.models import Person

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def _person(request: MemberRequest, code: Any) -> Person:
    people = Person.objects.visible_to(request.membership).select_related("organisation")
    return get_object_or_404(people, code=code)


@member_required(*SUPERVISOR_ROLES)
def person_export(request: MemberRequest, code: Any) -> HttpResponse:
    person = _person(request, code)
    audit_read(request, "exchange.person_export.viewed", person, person=person)
    form = ForWhomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["for_whom"] == disclosure.ForWhom.THIRD_PARTY:
                    disclosure.record_third_party(
                        person, recipient=data["recipient"], basis=data["basis"],
                        by=request.membership,
                    )  # fmt: skip
                return _file(request, person, data["format"])
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "exchange/person_export.html", {"person": person, "form": form})


@member_required(*SUPERVISOR_ROLES)
def person_export_file(request: MemberRequest, code: Any, fmt: str) -> HttpResponse:
    """The file for the person themself (a third party's goes through the export page)."""
    return _file(request, _person(request, code), fmt)


def _file(request: MemberRequest, person: Person, fmt: str) -> HttpResponse:
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
