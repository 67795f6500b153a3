from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role
from ibasho.audit.services import audit_read
from ibasho.outcomes import presenters, recovery, scoring, services
from ibasho.outcomes.forms import (
    AdministrationForm,
    InstrumentDefinitionForm,
    KatoForm,
    RecoveryForm,
)
from ibasho.outcomes.models import Administration, InstrumentDefinition, current_language
from ibasho.people.models import Person


def _person(request: MemberRequest, code: str, page: str) -> Person:
    """The person, for a page about them (its opening is recorded as a read)."""
    person = get_object_or_404(Person.objects.visible_to(request.membership), code=code)
    audit_read(request, f"outcomes.{page}.viewed", person, person=person)
    return person


@member_required()
def administration_create(request: MemberRequest, code: str) -> HttpResponse:
    """Without ?instrument= a list to choose from; with it, that instrument's form."""
    person = _person(request, code, "administration_form")
    organisation = request.membership.organisation
    definitions = services.available_instruments(organisation)
    chosen = request.GET.get("instrument", "")
    if not chosen:
        lang = current_language()
        choices = sorted((d.name_in(lang), c) for c, d in definitions.items())
        return render(request, "outcomes/instrument_choice.html",
                      {"person": person, "choices": choices})  # fmt: skip
    definition = definitions.get(chosen)
    if definition is None:
        raise Http404
    form = AdministrationForm(request.POST or None, definition=definition, person=person)
    if request.method == "POST" and form.is_valid():
        administration = services.record_administration(
            person,
            definition=definition,
            answers=form.answers(),
            administered_on=form.cleaned_data["administered_on"],
            respondent=form.cleaned_data["respondent"],
            family_member=form.cleaned_data["family_member"],
            band_set=form.cleaned_data.get("band_set") or None,
            by=request.user,
        )
        if administration.safety:
            messages.error(request, _("Safety flag: check on this person's safety now."))
        return redirect("outcomes:administration_detail", code=administration.code)
    context = {"person": person, "definition": definition, "form": form,
               "lang": current_language()}  # fmt: skip
    return render(request, "outcomes/administration_form.html", context)


@member_required()
def administration_detail(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    administration = get_object_or_404(
        Administration.objects.visible_to(membership).select_related("person", "family_member"),
        code=code,
    )
    audit_read(request, "outcomes.administration.viewed", administration,
               person=administration.person)  # fmt: skip
    definition = services.available_instruments(membership.organisation).get(
        administration.instrument
    )
    lang = current_language()
    items = []
    if definition is not None and len(definition.items) == len(administration.answers):
        for item, value in zip(definition.items, administration.answers, strict=True):
            option = next((o for o in item.options if o.value == value), None)
            items.append(
                (item, item.label_in(lang), value, option.label_in(lang) if option else "")
            )
    context = {
        "administration": administration,
        "person": administration.person,
        "definition": definition,
        "items": items,
        "flags": [f for f in definition.flags if f.key in administration.flags]
        if definition
        else [],
        "previous": administration.previous_scores.all(),
        "can_rescore": definition is not None
        and definition.version != administration.instrument_version,
        "lang": lang,
    }
    return render(request, "outcomes/administration_detail.html", context)


@member_required()
@require_POST
def administration_rescore(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    administration = get_object_or_404(
        Administration.objects.visible_to(membership).select_related("person"), code=code
    )
    definition = services.available_instruments(membership.organisation).get(
        administration.instrument
    )
    if definition is None:
        raise Http404
    try:
        changed = services.rescore_administration(administration, definition=definition,
                                                  by=request.user)  # fmt: skip
    except scoring.AnswerError:
        messages.error(request, _("The stored answers do not fit the current definition."))
        return redirect("outcomes:administration_detail", code=administration.code)
    messages.info(request, _("Re-scored.") if changed else _("The result did not change."))
    return redirect("outcomes:administration_detail", code=administration.code)


@member_required()
def kato_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "kato_form")  # the form shows the Kato history
    form = KatoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_kato_assessment(person, answers=form.answers(),
                                        assessed_on=form.cleaned_data["assessed_on"],
                                        by=request.user)  # fmt: skip
        return redirect("outcomes:person_outcomes", code=person.code)
    history = person.kato_assessments.order_by("-assessed_on", "-id")
    return render(request, "outcomes/kato_form.html",
                  {"person": person, "form": form, "history": history})  # fmt: skip


@member_required()
def recovery_create(request: MemberRequest, code: str) -> HttpResponse:
    person = _person(request, code, "recovery_form")
    form = RecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_recovery_profile(person, rated_on=form.cleaned_data["rated_on"],
                                         ratings=form.ratings(), by=request.user)  # fmt: skip
        return redirect("outcomes:person_outcomes", code=person.code)
    profile = recovery.load_profile()
    context = {"person": person, "form": form, "about": profile.about.get(current_language())}
    return render(request, "outcomes/recovery_form.html", context)


@member_required()
def person_outcomes(request: MemberRequest, code: str) -> HttpResponse:
    """Everything measured for one person, laid out to print."""
    membership = request.membership
    person = _person(request, code, "person_outcomes")
    context = presenters.panel_context(person, membership.organisation)
    context["administrations"] = person.administrations.select_related("family_member").order_by(
        "-administered_on", "-id"
    )
    context["kato_history"] = person.kato_assessments.order_by("-assessed_on", "-id")
    definitions = services.available_instruments(membership.organisation)
    lang = current_language()
    used = {h.code for h in context["histories"]}
    context["licences"] = [
        (d.name_in(lang), d.licence.get(lang) or d.licence["en"])
        for c, d in sorted(definitions.items())
        if c in used
    ]
    return render(request, "outcomes/person_outcomes.html", context)


@member_required(Role.ADMIN, Role.COORDINATOR, Role.WORKER)
def instrument_list(request: MemberRequest) -> HttpResponse:
    """The instruments in use; an admin may add the organisation's own."""
    membership = request.membership
    organisation = membership.organisation
    form = InstrumentDefinitionForm(request.POST or None)
    if request.method == "POST":
        if membership.role != Role.ADMIN:
            raise Http404
        if form.is_valid():
            try:
                services.save_instrument_definition(
                    organisation, form.cleaned_data["definition"], by=request.user
                )
            except scoring.DefinitionError as error:
                form.add_error("definition", f"{error.where}: {error.reason}")
            else:
                messages.info(request, _("Instrument saved."))
                return redirect("outcomes:instrument_list")
    lang = current_language()
    own = InstrumentDefinition.objects.filter(organisation=organisation)
    builtin = scoring.builtin_definitions()
    shipped = [(d.name_in(lang), d) for d in builtin.values()]
    context = {"shipped": sorted(shipped, key=lambda pair: pair[0]), "own": own, "form": form,
               "lang": lang}  # fmt: skip
    return render(request, "outcomes/instrument_list.html", context)
