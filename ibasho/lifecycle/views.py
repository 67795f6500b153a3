"""Organisation admins' pages for retention, holds, people's requests and breaches. Everyone
else gets 404."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role
from ibasho.audit.services import audit_list, audit_read
from ibasho.lib.web import form_page, saved
from ibasho.lifecycle import breach, forms, retention
from ibasho.lifecycle.models import (
    Incident,
    LegalHold,
    PersonRequest,
    RetentionSettings,
    ShreddingBatch,
)
from ibasho.people.models import Person

admin_only = member_required(Role.ADMIN)


def _person(request: MemberRequest, code: str, page: str) -> Person:
    person = get_object_or_404(Person.objects.visible_to(request.membership), code=code)
    audit_read(request, f"lifecycle.{page}.viewed", person, person=person)
    return person


def _mine(request: MemberRequest, model: Any, code: str) -> Any:
    return get_object_or_404(
        model.objects.filter(organisation_id=request.membership.organisation_id), code=code
    )


@admin_only
def index(request: MemberRequest) -> HttpResponse:
    organisation_id = request.membership.organisation_id
    holds = list(LegalHold.objects.filter(lifted_at__isnull=True).select_related("person", "case"))
    requests = list(
        PersonRequest.objects.filter(status=PersonRequest.Status.OPEN).select_related("person")
    )
    context = {
        "settings": RetentionSettings.for_organisation(organisation_id),
        "batches": ShreddingBatch.objects.exclude(status=ShreddingBatch.Status.CANCELLED)[:20],
        "holds": holds,
        "requests": requests,
        "incidents": Incident.objects.all()[:50],
    }
    shown = {h.person_id for h in holds} | {r.person_id for r in requests}
    audit_list(request, "lifecycle.overview.viewed", len(shown))
    return render(request, "lifecycle/index.html", context)


@admin_only
def settings_edit(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    current = RetentionSettings.for_organisation(organisation.pk)
    form = forms.SettingsForm(request.POST or None, current=current)

    def save(**_data: Any) -> None:
        retention.save_settings(organisation, by=request.user, **form.values())

    if saved(request, form, save):
        return redirect("lifecycle:index")
    return render(request, "form_page.html", {"form": form, "title": _("Retention periods")})


@admin_only
def batch_detail(request: MemberRequest, code: str) -> HttpResponse:
    """The preview: how many people, which record types; never who."""
    batch = _mine(request, ShreddingBatch, code)
    if request.method == "POST":
        form = forms.forms.Form(request.POST)
        action = request.POST.get("action")
        act = retention.cancel_batch if action == "cancel" else retention.confirm_batch
        if saved(request, form, lambda: act(batch, by=request.user)):
            return redirect("lifecycle:batch_detail", code=batch.code)
        return render(request, "lifecycle/batch.html", {"batch": batch, "form": form}, status=400)
    return render(request, "lifecycle/batch.html", {"batch": batch, "form": None})


@admin_only
def hold_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "hold_form")
    form = forms.HoldForm(request.POST or None, person=person)
    return form_page(
        request,
        form,
        lambda **data: retention.place_hold(person, by=request.user, **data),
        done=reverse("people:person_detail", args=[person.code]),
        title=_("Legal hold"),
        person=person,
    )


@admin_only
@require_POST
def hold_lift(request: MemberRequest, code: str) -> HttpResponse:
    hold = _mine(request, LegalHold, code)
    form = forms.ReasonForm(request.POST)
    return form_page(
        request,
        form,
        lambda reason: retention.lift_hold(hold, reason=reason, by=request.user),
        done=reverse("lifecycle:index"),
        title=_("Lift the legal hold"),
    )


@admin_only
def request_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "request_form")
    form = forms.RequestForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda **data: retention.record_request(person, by=request.user, **data),
        done=reverse("lifecycle:index"),
        title=_("Request to stop using or erase data"),
        person=person,
    )


@admin_only
@require_POST
def request_lift(request: MemberRequest, code: str) -> HttpResponse:
    found = _mine(request, PersonRequest, code)
    form = forms.forms.Form(request.POST)
    if saved(request, form, lambda: retention.lift_suspension(found, by=request.user)):
        return redirect("lifecycle:index")
    return render(request, "form_page.html", {"form": form, "title": _("Lift")}, status=400)


@admin_only
def incident_create(request: MemberRequest) -> HttpResponse:
    form = forms.IncidentForm(request.POST or None)
    organisation = request.membership.organisation
    made: list[Incident] = []

    def save(**data: Any) -> None:
        made.append(breach.record_incident(organisation, by=request.user, **data))

    if saved(request, form, save):
        return redirect("lifecycle:incident_detail", code=made[0].code)
    return render(request, "form_page.html", {"form": form, "title": _("Record an incident")})


def _incident_page(request: MemberRequest, incident: Incident, **forms_: Any) -> HttpResponse:
    affected = list(incident.affected.select_related("person"))
    audit_read(request, "lifecycle.incident.viewed", incident, count=len(affected))
    organisation = request.membership.organisation
    context = {
        "incident": incident,
        "affected": affected,
        "scope_form": forms_.get("scope") or forms.ScopeForm(organisation=organisation),
        "reported_form": forms_.get("reported") or forms.ReportedForm(),
        "close_form": forms_.get("close") or forms.CloseForm(),
        "scope": forms_.get("found"),
    }
    return render(request, "lifecycle/incident.html", context, status=400 if forms_ else 200)


@admin_only
def incident_detail(request: MemberRequest, code: str) -> HttpResponse:
    return _incident_page(request, _mine(request, Incident, code))


@admin_only
@require_POST
def incident_scope(request: MemberRequest, code: str) -> HttpResponse:
    incident = _mine(request, Incident, code)
    organisation = request.membership.organisation
    form = forms.ScopeForm(request.POST, organisation=organisation)

    def save(**data: Any) -> None:
        found = breach.compute_scope(organisation, **data)
        breach.attach_scope(incident, found, by=request.user)

    if saved(request, form, save):
        return redirect("lifecycle:incident_detail", code=incident.code)
    return _incident_page(request, incident, scope=form)


@admin_only
@require_POST
def incident_reported(request: MemberRequest, code: str) -> HttpResponse:
    incident = _mine(request, Incident, code)
    form = forms.ReportedForm(request.POST)
    if saved(request, form, lambda **data: breach.mark_reported(incident, by=request.user, **data)):
        return redirect("lifecycle:incident_detail", code=incident.code)
    return _incident_page(request, incident, reported=form)


@admin_only
@require_POST
def incident_close(request: MemberRequest, code: str) -> HttpResponse:
    incident = _mine(request, Incident, code)
    form = forms.CloseForm(request.POST)
    if saved(
        request, form, lambda note: breach.close_incident(incident, note=note, by=request.user)
    ):
        return redirect("lifecycle:incident_detail", code=incident.code)
    return _incident_page(request, incident, close=form)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin_only
def incident_report_pdf(request: MemberRequest, code: str) -> HttpResponse:
    incident = _mine(request, Incident, code)
    audit_read(request, "lifecycle.incident.report_pdf", incident, count=incident.affected.count())
    return _pdf(breach.report_pdf(incident), f"incident-{incident.discovered_on}-report.pdf")


@admin_only
def incident_letters_pdf(request: MemberRequest, code: str) -> HttpResponse:
    incident = _mine(request, Incident, code)
    audit_read(request, "lifecycle.incident.letters_pdf", incident, count=incident.affected.count())
    return _pdf(breach.letters_pdf(incident), f"incident-{incident.discovered_on}-letters.pdf")
