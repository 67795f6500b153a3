from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES, Role
from ibasho.audit.services import audit_list, audit_read, record_audit
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
from ibasho.lib.web import form_page
from ibasho.people.models import FamilyMember, Household, Person
from ibasho.people.services import save_record


def _household(request: MemberRequest, code: str, page: str) -> Household:
    """The household, for a page about it (its opening is recorded as a read)."""
    household = get_object_or_404(Household.objects.visible_to(request.membership), code=code)
    audit_read(request, f"families.{page}.viewed", household)
    return household


def _person(request: MemberRequest, code: str, page: str) -> Person:
    """The person, for a page about them (its opening is recorded as a read)."""
    person = get_object_or_404(Person.objects.visible_to(request.membership), code=code)
    audit_read(request, f"families.{page}.viewed", person, person=person)
    return person


@member_required(*SUPERVISOR_ROLES)
def risk_board(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    today = membership.organisation.today()
    limits = RiskSettings.thresholds_for(membership.organisation_id)
    rows = board.assess_all(board.board_households(membership), today, limits)
    events = SafetyEvent.objects.visible_to(membership).unacknowledged().select_related("person")
    audit_list(request, "families.risk_board.viewed", len(rows))
    context = {"rows": rows, "events": events, "limits": limits, "today": today}
    return render(request, "families/risk_board.html", context)


@member_required()
@require_POST
def consultation_create(request: MemberRequest, code: str) -> HttpResponse:
    household = _household(request, code, "consultation_form")
    form = ConsultationForm(request.POST, household=household, membership=request.membership)

    def save(person: Person, family_member: FamilyMember, **data: Any) -> None:
        services.record_family_consultation(
            person, family_member=family_member, by=request.user, **data
        )

    response = form_page(
        request,
        form,
        save,
        done=_household_url(household),
        title=_("Family consultation"),
        household=household,
    )
    # The form sits on the household page; coming back here means it was refused.
    if response.status_code == 200:
        response.status_code = 422
    return response


def _household_url(household: Household) -> str:
    return reverse("people:household_detail", args=[household.code])


@member_required()
def health_update(request: MemberRequest, code: str) -> HttpResponse:
    member = get_object_or_404(
        FamilyMember.objects.visible_to(request.membership).select_related("household"),
        code=code,
    )
    audit_read(request, "families.health_form.viewed", member)
    form = HealthForm(request.POST or None, initial={"health": member.health})

    def save(**data: Any) -> None:
        services.update_health(member, by=request.user, **data)

    return form_page(
        request,
        form,
        save,
        done=_household_url(member.household),
        title=str(member),
        household=member.household,
    )


def _record_page(
    request: MemberRequest,
    form: Any,
    action: str,
    *,
    title: str,
    household: Household | None = None,
    person: Person | None = None,
    **attrs: Any,
) -> HttpResponse:
    """A page for one household or person record saved from a ModelForm, with its audit;
    `attrs` are set by the page (the household, the person), not by the form."""
    owner: Any = person or household

    def save(**data: Any) -> None:
        record = form.instance
        if record.pk is not None:
            record.refresh_from_db()  # the form changed the instance: reload to audit honestly
        for name, value in attrs.items():
            setattr(record, name, value)
        save_record(
            record, action, by=request.user, organisation=owner.organisation, person=person, **data
        )

    done = reverse("people:person_detail", args=[person.code]) if person else _household_url(owner)
    return form_page(
        request, form, save, done=done, title=title, household=household, person=person
    )


@member_required()
def circumstances_edit(request: MemberRequest, code: str) -> HttpResponse:
    household = _household(request, code, "circumstances_form")
    found = HouseholdCircumstances.objects.filter(household=household).first()
    form = CircumstancesForm(request.POST or None, instance=found)
    return _record_page(
        request,
        form,
        "families.circumstances.changed",
        title=_("Household circumstances"),
        household=household,
        household_id=household.pk,
    )


@member_required()
def plan_edit(request: MemberRequest, code: str) -> HttpResponse:
    household = _household(request, code, "contingency_plan")
    plan = ContingencyPlan.objects.filter(household=household).first()
    form = ContingencyPlanForm(
        request.POST or None,
        instance=plan,
        initial={"last_reviewed_on": household.organisation.today()},
    )
    return _record_page(
        request,
        form,
        "families.contingency_plan.changed",
        title=_("Contingency plan"),
        household=household,
        household_id=household.pk,
    )


@member_required()
def behaviour_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "behaviour_form")
    form = BehaviourChangeForm(request.POST or None, household_id=person.household_id)
    return _record_page(
        request,
        form,
        "families.behaviour_change.recorded",
        title=_("Behaviour change reported by the family"),
        person=person,
        person_id=person.pk,
        recorded_by=request.user,
    )


@member_required()
def safety_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "safety_form")

    def save(**data: Any) -> None:
        services.raise_safety_event(person, by=request.user, **data)

    return form_page(
        request,
        SafetyEventForm(request.POST or None),
        save,
        done=reverse("people:person_detail", args=[person.code]),
        title=_("Record a safety event"),
        person=person,
        message=_("The safety event is recorded and the coordinators are told."),
    )


def _event(request: MemberRequest, code: str) -> SafetyEvent:
    return get_object_or_404(
        SafetyEvent.objects.visible_to(request.membership).select_related("person"),
        code=code,
    )


@member_required(*SUPERVISOR_ROLES)
@require_POST
def safety_acknowledge(request: MemberRequest, code: str) -> HttpResponse:
    event = _event(request, code)
    services.acknowledge_safety_event(event, by=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("families:risk_board")
    return redirect(back)


@member_required()
def safety_resolve(request: MemberRequest, code: str) -> HttpResponse:
    event = _event(request, code)
    audit_read(request, "families.safety_event.viewed", event, person=event.person)

    def save(**data: Any) -> None:
        services.resolve_safety_event(event, by=request.user, **data)

    return form_page(
        request,
        ResolveForm(request.POST or None),
        save,
        done=reverse("people:person_detail", args=[event.person.code]),
        title=_("Follow-up of a safety event: %(event)s") % {"event": event},
        person=event.person,
        message=_("The follow-up is recorded."),
    )


@member_required(Role.ADMIN)
def risk_settings(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
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
