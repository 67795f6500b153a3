from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.models import SUPERVISOR_ROLES, Role
from ibasho.audit.services import record_audit
from ibasho.families import board, services
from ibasho.families.forms import (
    BehaviourChangeForm,
    CircumstancesForm,
    ConsultationForm,
    ContingencyPlanForm,
    CrisisContactFormSet,
    HealthForm,
    ResolveForm,
    RiskSettingsForm,
    SafetyEventForm,
)
from ibasho.families.models import (
    ContingencyPlan,
    CrisisContact,
    HouseholdCircumstances,
    RiskSettings,
    SafetyEvent,
)
from ibasho.people.models import FamilyMember, Household, Person
from ibasho.people.services import save_record


def _household(request: HttpRequest, code: str) -> Household:
    return get_object_or_404(Household.objects.visible_to(request.membership), code=code)  # type: ignore[attr-defined]


def _person(request: HttpRequest, code: str) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.membership), code=code)  # type: ignore[attr-defined]


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required(*SUPERVISOR_ROLES)
def risk_board(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    today = timezone.localdate()
    limits = RiskSettings.thresholds_for(membership.organisation_id)
    rows = board.assess_all(board.board_households(membership), today, limits)
    events = SafetyEvent.objects.visible_to(membership).unacknowledged().select_related("person")
    record_audit(
        "families.risk_board.viewed", by=request.user, organisation=membership.organisation
    )
    context = {"rows": rows, "events": events, "limits": limits, "today": today}
    return render(request, "families/risk_board.html", context)


@member_required()
@require_POST
def consultation_create(request: HttpRequest, code: str) -> HttpResponse:
    household = _household(request, code)
    form = ConsultationForm(request.POST, household=household)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_family_consultation(
                data.pop("person"), family_member=data.pop("family_member"), by=request.user, **data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("people:household_detail", code=household.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "household": household, "title": _("Family consultation")},
        status=422,
    )


@member_required()
def health_update(request: HttpRequest, code: str) -> HttpResponse:
    member = get_object_or_404(
        FamilyMember.objects.visible_to(request.membership).select_related("household"),  # type: ignore[attr-defined]
        code=code,
    )
    form = HealthForm(request.POST or None, initial={"health": member.health})
    if request.method == "POST" and form.is_valid():
        services.update_health(member, by=request.user, **form.cleaned_data)
        return redirect("people:household_detail", code=member.household.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "household": member.household, "title": str(member)},
    )


@member_required()
def circumstances_edit(request: HttpRequest, code: str) -> HttpResponse:
    household = _household(request, code)
    found = HouseholdCircumstances.objects.filter(household=household).first()
    form = CircumstancesForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        save_record(
            form,
            "families.circumstances.changed",
            by=request.user,
            organisation=household.organisation,
            household=household,
        )
        return redirect("people:household_detail", code=household.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "household": household, "title": _("Household circumstances")},
    )


@member_required()
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    household = _household(request, code)
    plan = ContingencyPlan.objects.filter(household=household).first()
    form = ContingencyPlanForm(
        request.POST or None, instance=plan, initial={"last_reviewed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        save_record(
            form,
            "families.contingency_plan.changed",
            by=request.user,
            organisation=household.organisation,
            household=household,
        )
        return redirect("people:household_detail", code=household.code)
    if plan is not None:
        record_audit(
            "families.contingency_plan.viewed",
            by=request.user,
            organisation=household.organisation,
            target=plan,
        )
    return render(request, "programmes/simple_form.html", {"form": form, "household": household})


@member_required()
def behaviour_create(request: HttpRequest, code: str) -> HttpResponse:
    person = _person(request, code)
    members = person.household.members.all() if person.household else FamilyMember.objects.none()
    form = BehaviourChangeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        save_record(
            form,
            "families.behaviour_change.recorded",
            by=request.user,
            organisation=person.organisation,
            person=person,
            person_id=person.pk,
            recorded_by=request.user,
        )
        return redirect("people:person_detail", code=person.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "person": person, "title": _("Behaviour change reported by the family")},
    )


@member_required()
def safety_create(request: HttpRequest, code: str) -> HttpResponse:
    person = _person(request, code)
    form = SafetyEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.raise_safety_event(person, by=request.user, **form.cleaned_data)
        return redirect("people:person_detail", code=person.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "person": person, "title": _("Record a safety event")},
    )


def _event(request: HttpRequest, code: str) -> SafetyEvent:
    return get_object_or_404(
        SafetyEvent.objects.visible_to(request.membership).select_related("person"),  # type: ignore[attr-defined]
        code=code,
    )


@member_required(*SUPERVISOR_ROLES)
@require_POST
def safety_acknowledge(request: HttpRequest, code: str) -> HttpResponse:
    event = _event(request, code)
    services.acknowledge_safety_event(event, by=request.user)
    return redirect(request.POST.get("next") or "families:risk_board")


@member_required()
def safety_resolve(request: HttpRequest, code: str) -> HttpResponse:
    event = _event(request, code)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_safety_event(event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("people:person_detail", code=event.person.code)
    return render(
        request,
        "programmes/simple_form.html",
        {"form": form, "person": event.person, "title": str(event)},
    )


@member_required(Role.ADMIN)
def risk_settings(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    found = RiskSettings.objects.filter(organisation=organisation).first()
    form = RiskSettingsForm(
        request.POST or None, instance=found or RiskSettings(organisation=organisation)
    )
    contacts = CrisisContactFormSet(
        request.POST or None, queryset=CrisisContact.objects.filter(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        with transaction.atomic():
            form.save()
            for contact in contacts.save(commit=False):
                contact.organisation = organisation
                contact.save()
            for contact in contacts.deleted_objects:
                contact.delete()
            record_audit(
                "families.settings.changed",
                by=request.user,
                organisation=organisation,
                fields=form.changed_data + (["crisis_contacts"] if contacts.has_changed() else []),
            )
        return redirect("families:risk_settings")
    return render(request, "families/risk_settings.html", {"form": form, "contacts": contacts})
