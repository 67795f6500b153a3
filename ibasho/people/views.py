import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES, Role
from ibasho.audit.models import AuditEntry
from ibasho.audit.services import audit_list, audit_read
from ibasho.lib.japanese import search_term
from ibasho.lib.markup import day_label, format_row, time_label
from ibasho.lib.panels import (
    gathered,
    household_panels,
    person_facts,
    person_panels,
    person_summary_panels,
    visit_facts,
)
from ibasho.lib.pdf import html_to_pdf
from ibasho.lib.prepared import ORGANISATION, PERSON, Pending, Prepared, Slot, together
from ibasho.lib.timeline import built, page_number, timeline, timeline_kinds, timeline_page
from ibasho.lib.web import confirm_page, confirmed, saved
from ibasho.people import postcodes, restriction, services
from ibasho.people.forms import (
    BreakGlassForm,
    ConsentForm,
    ContactDetailsForm,
    FamilyMemberForm,
    HouseholdFilterForm,
    HouseholdForm,
    PersonFilterForm,
    PersonForm,
    RestrictionForm,
)
from ibasho.people.models import (
    Case,
    CaseAssignment,
    Consent,
    FamilyMember,
    Household,
    Person,
    Phone,
    Restriction,
)


def filter_people(people, form: PersonFilterForm, user, today: dt.date):  # type: ignore[no-untyped-def]
    """Apply the list's search and filters (a valid form) to a guarded queryset."""
    data = form.cleaned_data
    people = people.search(data.get("q") or "")
    status = data.get("status") or "open"
    if status != "all":
        people = people.filter(cases__status=status).distinct()
    if data.get("mine"):
        people = people.filter(cases__workers=user, cases__status=Case.Status.OPEN).distinct()
    if data.get("gender"):
        people = people.filter(gender=data["gender"])
    # Age bands by birth year: exact enough for a list filter, and index-friendly.
    if data.get("age_from") is not None:
        people = people.filter(birth_year__lte=today.year - data["age_from"])
    if data.get("age_to") is not None:
        people = people.filter(birth_year__gte=today.year - data["age_to"])
    return people


@member_required()
def person_list(request: MemberRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = Person.objects.visible_to(request.membership).select_related("household")
    if form.is_valid():
        people = filter_people(people, form, request.user, request.membership.organisation.today())
    elif form.is_bound:
        people = people.none()
    else:
        people = people.with_open_case()
    page = Paginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(request, "people.person_list.viewed", len(page.object_list))
    template = (
        "people/_person_rows.html"
        if request.headers.get("HX-Request")
        else "people/person_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def _person_or_glass(request: MemberRequest, code: str) -> Person | HttpResponse:
    """The person, or the break-the-glass page for a restricted record this worker may open
    only by giving a reason (it shows nothing of the person); 404 otherwise."""
    membership = request.membership
    person = _PERSON.first(membership=membership, code=code)
    if person is None:
        if restriction.glass_to_break(membership, code) is None:
            raise Http404
        return render(
            request,
            "people/break_glass.html",
            {"code": code, "form": BreakGlassForm(), "hours": restriction.access_hours()},
            status=403,
        )
    return person


def _glass(membership: Any, person: Person) -> dict[str, Any]:
    return {
        "restricted": getattr(person, "restriction", None),
        "glass_break": restriction.active_glass_break(membership, person)
        if hasattr(person, "restriction") and not membership.is_supervisor
        else None,
    }


# The summary's reads, each compiled once (ibasho.lib.prepared).
_PERSON = Prepared(
    Person,
    lambda member: (
        Person.objects.visible_to(member)
        .select_related("household", "organisation", "restriction", "contact_details")
        .filter(code=Slot("code", models.UUIDField()))[:1]
    ),
    per_member=True,
)
_TIMELINE_PERSON = Prepared(
    Person,
    lambda member: Person.objects.visible_to(member).filter(code=Slot("code", models.UUIDField()))[
        :1
    ],
    per_member=True,
)
_PHONES = Prepared(
    Phone, lambda: Phone.objects.filter(organisation_id=ORGANISATION, person_id=PERSON)
)
_ASSIGNMENTS = Prepared(
    CaseAssignment,
    lambda: (
        CaseAssignment.objects.filter(
            organisation_id=ORGANISATION, case__person_id=PERSON, case__status=Case.Status.OPEN
        )
        .select_related("worker")
        .order_by("-is_lead", "id")
    ),
)
_MEMBERS = Prepared(
    FamilyMember,
    lambda: FamilyMember.objects.filter(
        organisation_id=ORGANISATION, household_id=Slot("household", models.IntegerField())
    ),
)


def _reach(person: Person, phones: list[Phone]) -> dict[str, Any]:
    """How to reach the person: the contact details, phones and the best channel."""
    details = getattr(person, "contact_details", None)
    labels = person.preferred_channel_labels()
    return {"details": details, "phones": phones, "best_channel": labels[0] if labels else ""}


def _phones(person: Person) -> Pending:
    return _PHONES.later(organisation=person.organisation_id, person=person.pk)


def _reach_workers_household(person: Person) -> dict[str, Any]:
    """How to reach the person, the workers of their open cases (lead first) and who in the
    household is alive ("living with whom"), read together."""
    about = {"organisation": person.organisation_id}
    household = (
        [_MEMBERS.later(**about, household=person.household_id)] if person.household_id else []
    )
    phones, assignments, *members = together(
        _phones(person), _ASSIGNMENTS.later(**about, person=person.pk), *household
    )
    return {
        **_reach(person, phones),
        "workers": list(dict.fromkeys(a.worker for a in assignments)),
        "living_with": [
            m for m in (members[0] if members else []) if m.health != FamilyMember.Health.DIED
        ],
    }


@member_required()
def person_detail(request: MemberRequest, code: str) -> HttpResponse:
    """The person's summary: who, with whom, stage, worker, what to avoid, how to reach them,
    safety and trust, on one phone screen. The full record, the charts and the timeline are
    one tap away."""
    membership = request.membership
    found = _person_or_glass(request, code)
    if isinstance(found, HttpResponse):
        return found
    person = found
    audit_read(request, "people.person.viewed", person, person=person, fields=["contact_details"])
    facts = gathered(person_facts, request, person)
    context = {
        **_glass(membership, person),
        **_reach_workers_household(person),
        "person": person,
        "facts": facts.get("facts", []),
        # The main action (record a contact) first, whichever app offers it.
        "actions": sorted(facts.get("actions", []), key=lambda action: not action.primary),
        "panels": person_summary_panels.render_list(request, person),
    }
    return render(request, "people/person_detail.html", context)


@member_required()
def person_records(request: MemberRequest, code: str) -> HttpResponse:
    """The person's full record: about them, contact details and benefits, cases, family,
    consent, and every app's panel (outreach plan and trust, charts, programmes)."""
    membership = request.membership
    found = _person_or_glass(request, code)
    if isinstance(found, HttpResponse):
        return found
    person = found
    fields = ["contact_details", "records"]
    audit_read(request, "people.person.viewed", person, person=person, fields=fields)
    context = {
        **_glass(membership, person),
        **_reach(person, _phones(person).rows()),
        "person": person,
        "benefits": list(person.benefits.all()),
        "cases": person.cases.prefetch_related("workers"),
        "consents": person.consents.select_related("proxy"),
        "family": person.household.members.all() if person.household else [],
        "panels": person_panels.render_list(request, person),
    }
    return render(request, "people/person_records.html", context)


@member_required()
def visit_card(request: MemberRequest, code: str) -> HttpResponse:
    """A door visit on a phone, or printed: the address and directions, what to avoid, whom to
    ask for, the latest contacts and the next step."""
    person = get_object_or_404(
        Person.objects.visible_to(request.membership).select_related(
            "household", "contact_details"
        ),
        code=code,
    )
    audit_read(
        request, "people.visit_card.viewed", person, person=person, fields=["contact_details"]
    )
    found = gathered(visit_facts, request, person)
    context = {
        **_reach_workers_household(person),
        "person": person,
        "facts": found.get("facts", []),
        "contacts": found.get("contacts", []),
        "made_on": request.membership.organisation.today(),
    }
    return render(request, "people/visit_card.html", context)


@member_required()
def contact_details_edit(request: MemberRequest, code: str) -> HttpResponse:
    """The address (filled from the postcode), phones, e-mail, LINE, emergency and medical
    contacts, benefits and certificates."""
    membership = request.membership
    person = get_object_or_404(
        Person.objects.visible_to(membership).select_related("contact_details"), code=code
    )
    form = ContactDetailsForm(request.POST or None, person=person)
    audit_read(request, "people.contact_details_form.viewed", person, person=person,
               fields=["contact_details"])  # fmt: skip

    def save(**_data: Any) -> None:
        services.save_contact_details(person, by=request.user, **form.values())

    if saved(request, form, save):
        messages.success(request, _("Contact details saved."))
        return redirect("people:person_detail", code=person.code)
    return render(request, "people/contact_details_form.html", {"form": form, "person": person})


@member_required()
def postcode_lookup(request: MemberRequest) -> JsonResponse:
    """The address a postcode names (Japan Post's data, offline), for the contact form."""
    found = postcodes.lookup(request.GET.get("code", "")[:20])
    if found is None:
        return JsonResponse({"found": False})
    return JsonResponse({"found": True, **dataclasses.asdict(found)})


@member_required()
def person_create(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = PersonForm(request.POST or None, organisation=membership.organisation)
    # The form offers every household of the organisation, by name.
    households = Household.objects.visible_to(membership)
    audit_list(request, "people.person_form.viewed", households.count())
    created: list[Person] = []

    def save(**data: Any) -> None:
        assign = request.user if membership.role == Role.WORKER else None
        created.append(
            services.create_person(
                by=request.user, organisation=membership.organisation, assign=assign, **data
            )
        )

    if saved(request, form, save):
        return redirect("people:person_detail", code=created[0].code)
    return render(request, "people/person_form.html", {"form": form})


@member_required()
def person_edit(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    form = PersonForm(request.POST or None, instance=person, organisation=membership.organisation)
    audit_read(request, "people.person_form.viewed", person, person=person, fields=form.fields)

    def save(**data: Any) -> None:
        person.refresh_from_db()  # the form changed the instance: reload to audit honestly
        services.change_person(person, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "people/person_form.html", {"form": form, "person": person})


# Entries per page of the timeline: a year of weekly contacts.
TIMELINE_PAGE = 50


def _timeline_of(request: MemberRequest, code: str) -> tuple[Person, dict[str, str], set[str]]:
    """The person, the timeline's kinds and those chosen in the query."""
    person = _TIMELINE_PERSON.first(membership=request.membership, code=code)
    if person is None:
        raise Http404
    kinds = timeline_kinds()
    chosen = {kind for kind in request.GET.getlist("kind") if kind in kinds}
    return person, kinds, chosen


def _labelled(request: MemberRequest, items: Any, kinds: dict[str, str]) -> list[Any]:
    """The entries built (only those shown are) with their kind's label and their day and time
    as printed (each day and time formatted once, lib.markup)."""
    return [
        (entry, kinds[entry.kind], day_label(entry.on), time_label(entry.at) if entry.at else "")
        for entry in built(request.membership, items)
    ]


def _entries_html(labelled: list[Any]) -> SafeString:
    """A page of labelled entries as the timeline's list items, made in Python (lib.markup):
    the template engine spent more on fifty entries than the rest of the page."""
    next_step = _("Next step")
    html = []
    for entry, label, day, time in labelled:
        what = (
            format_row('<a href="{}">{}</a>', entry.url, entry.title)
            if entry.url
            else (entry.title)
        )
        if entry.by:
            what = format_row('{} <span class="muted">· {}</span>', what, entry.by)
        html.append(
            format_row(
                '<li class="timeline-entry kind-{}">\n'
                '    <p class="when"><strong>{}</strong>{}\n'
                '      <span class="badge">{}</span></p>\n'
                '    <p class="what">{}</p>\n{}{}  </li>',
                entry.kind,
                day,
                f" {time}" if time else "",
                label,
                what,
                format_row('    <div class="note">{}</div>\n', linebreaksbr(entry.text))
                if entry.text
                else "",
                format_row(
                    '    <p class="next-step"><strong>{}:</strong> {}</p>\n',
                    next_step,
                    entry.next_step,
                )
                if entry.next_step
                else "",
            )  # fmt: skip
        )
    return mark_safe("".join(html))  # each part escaped by format_row


@member_required()
def person_timeline(request: MemberRequest, code: str) -> HttpResponse:
    """The person's story, newest first: every app's records merged, filterable by kind."""
    person, kinds, chosen = _timeline_of(request, code)
    # Only the page's entries (and one more, to know an older page follows) are read.
    number = page_number(request.GET.get("page"))
    page = timeline_page(request.membership, person, chosen or None, number, TIMELINE_PAGE)
    page = dataclasses.replace(page, object_list=_labelled(request, page.object_list, kinds))
    audit_read(request, "people.person_timeline.viewed", person, person=person)
    query = "&".join(f"kind={kind}" for kind in sorted(chosen))
    context = {
        "person": person,
        "page": page,
        "entries_html": _entries_html(page.object_list),
        "kinds": kinds,
        "chosen": chosen,
        "query": query,
    }
    return render(request, "people/person_timeline.html", context)


@member_required()
def person_timeline_pdf(request: MemberRequest, code: str) -> HttpResponse:
    """The timeline as a printed 経過記録 (A4), oldest first as a paper record reads."""
    membership = request.membership
    person, kinds, chosen = _timeline_of(request, code)
    found = timeline(membership, person, chosen or None)  # the whole story, on paper
    entries = _labelled(request, reversed(found), kinds)
    audit_read(request, "people.person_timeline.printed", person, person=person)
    html = render_to_string(
        "people/person_timeline_pdf.html",
        {
            "person": person,
            "entries": entries,
            "organisation": membership.organisation,
            "made_on": membership.organisation.today(),
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="timeline-{person.code}.pdf"'
    return response


@member_required()
def break_glass(request: MemberRequest, code: str) -> HttpResponse:
    """Open a restricted record with a reason (see `people.restriction`)."""
    sealed = restriction.glass_to_break(request.membership, code)
    if sealed is None:
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if saved(
        request, form, lambda **data: restriction.break_glass(sealed, by=request.user, **data)
    ):
        return redirect("people:person_detail", code=code)
    context = {"code": code, "form": form, "hours": restriction.access_hours()}
    return render(request, "people/break_glass.html", context, status=403)


@member_required(*SUPERVISOR_ROLES)
def person_restriction(request: MemberRequest, code: str) -> HttpResponse:
    """Restrict a person's records, change why, or lift the restriction."""
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    current = Restriction.objects.filter(person=person).first()
    audit_read(request, "people.restriction.viewed", person, person=person)
    if request.method == "POST" and "lift" in request.POST:
        restriction.lift(person, by=request.user)
        messages.success(request, _("The restriction is lifted."))
        return redirect("people:person_detail", code=person.code)
    initial = {"reason": current.reason, "note": current.note} if current else None
    form = RestrictionForm(request.POST or None, initial=initial)
    restrict = lambda **data: restriction.restrict(person, by=request.user, **data)  # noqa: E731
    message = _("Only the assigned workers and the coordinators open this record now.")
    if saved(request, form, restrict, message=message):
        return redirect("people:person_detail", code=person.code)
    context = {"form": form, "person": person, "current": current}
    return render(request, "people/restriction_form.html", context)


@member_required(Role.ADMIN)
def person_audit(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "people.person_audit.viewed", person, person=person)
    entries = AuditEntry.objects.visible_to(membership).about_person(person.code)
    page = Paginator(entries.select_related("actor"), 100).get_page(request.GET.get("page"))
    return render(request, "people/person_audit.html", {"person": person, "page": page})


@member_required()
def household_detail(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    household = get_object_or_404(Household.objects.visible_to(membership), code=code)
    audit_read(request, "people.household.viewed", household)
    context = {
        "household": household,
        "members": household.members.all(),
        "people": Person.objects.visible_to(membership).filter(household=household),
        "panels": household_panels.render_list(request, household),
    }
    return render(request, "people/household_detail.html", context)


@member_required()
def household_create(request: MemberRequest, code: str) -> HttpResponse:
    """Create the household of a person (people are always reached through a household)."""
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "people.household_form.viewed", person, person=person)
    form = HouseholdForm(
        request.POST or None,
        initial={
            "name": f"{person.family_name}家",
            "name_kana": person.family_name_kana,
            "prefecture": person.prefecture,
            "municipality": person.municipality,
        },
    )

    def save(**data: Any) -> None:
        services.create_household_for(person, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:household_detail", code=person.household.code)  # type: ignore[union-attr]
    return render(request, "people/household_form.html", {"form": form, "person": person})


@member_required()
def household_edit(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    household = get_object_or_404(Household.objects.visible_to(membership), code=code)
    form = HouseholdForm(request.POST or None, instance=household)
    audit_read(request, "people.household_form.viewed", household, fields=form.fields)

    def save(**data: Any) -> None:
        household.refresh_from_db()
        services.change_household(household, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:household_detail", code=household.code)
    return render(request, "people/household_form.html", {"form": form, "household": household})


@member_required()
def family_member_create(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    household = get_object_or_404(Household.objects.visible_to(membership), code=code)
    form = FamilyMemberForm(request.POST or None)
    audit_read(request, "people.family_member_form.viewed", household)

    def save(**data: Any) -> None:
        services.add_family_member(household, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:household_detail", code=household.code)
    return render(request, "people/family_member_form.html", {"form": form, "household": household})


@member_required()
def family_member_edit(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    member = get_object_or_404(
        FamilyMember.objects.visible_to(membership).select_related("household"), code=code
    )
    form = FamilyMemberForm(request.POST or None, instance=member)
    audit_read(request, "people.family_member_form.viewed", member, fields=form.fields)

    def save(**data: Any) -> None:
        member.refresh_from_db()
        services.change_family_member(member, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:household_detail", code=member.household.code)
    return render(
        request,
        "people/family_member_form.html",
        {"form": form, "household": member.household, "member": member},
    )


@member_required()
def consent_create(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    # Another page may send here to record a missing consent (a referral: ?purpose=sharing)
    # and take the member back afterwards (`next`, a path on this site).
    purpose = request.GET.get("purpose", "")
    initial = {"purpose": purpose} if purpose in Consent.Purpose.values else {}
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None)):
        back = ""
    form = ConsentForm(request.POST or None, person=person, initial=initial)
    audit_read(request, "people.consent_form.viewed", person, person=person)

    def save(**data: Any) -> None:
        services.record_consent(person, by=request.user, **data)

    if saved(request, form, save):
        return redirect(back or reverse("people:person_detail", args=[person.code]))
    context = {"form": form, "person": person, "next": back}
    return render(request, "people/consent_form.html", context)


@member_required()
@require_POST
def consent_withdraw(request: MemberRequest, code: str) -> HttpResponse:
    consent = get_object_or_404(
        Consent.objects.visible_to(request.membership).select_related("person"),
        code=code,
    )
    back = reverse("people:person_detail", args=[consent.person.code])
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw a consent"),
            question=_("Withdraw this consent (%(purpose)s)? What it allowed stops from today.")
            % {"purpose": consent.get_purpose_display()},
            button=_("Withdraw"),
            back=back,
        )
    services.withdraw_consent(consent, by=request.user)
    messages.success(request, _("The consent is withdrawn."))
    return redirect(back)


@member_required(Role.ANALYST, Role.COORDINATOR, Role.ADMIN, Role.WORKER)
def organisation_overview(request: MemberRequest) -> HttpResponse:
    """Aggregate figures only: what an analyst may see (the request's scope is the
    organisation's)."""
    totals = Case.objects.aggregate(
        open=Count("id", filter=Q(status=Case.Status.OPEN)),
        closed=Count("id", filter=Q(status=Case.Status.CLOSED)),
    )
    by_gender = Person.objects.values("gender").annotate(n=Count("id")).order_by("gender")
    labels = dict(Person._meta.get_field("gender").choices)  # type: ignore[arg-type]
    context = {
        "totals": totals,
        "by_gender": [{"label": labels.get(row["gender"]), "n": row["n"]} for row in by_gender],
        "households": Household.objects.count(),
    }
    return render(request, "people/organisation_overview.html", context)


@member_required()
def household_list(request: MemberRequest) -> HttpResponse:
    """Every household of the organisation, by reading, with its people and members counted;
    searched by name and filtered by municipality."""
    membership = request.membership
    households = Household.objects.visible_to(membership)
    municipalities = sorted(
        {m for m in households.values_list("municipality", flat=True).distinct() if m}
    )
    form = HouseholdFilterForm(request.GET or None, municipalities=municipalities)
    if form.is_valid():
        term = search_term(form.cleaned_data.get("q") or "")
        if term:
            households = households.filter(Q(name__contains=term) | Q(name_kana__contains=term))
        if form.cleaned_data.get("municipality"):
            households = households.filter(municipality=form.cleaned_data["municipality"])
    elif form.is_bound:
        households = households.none()
    people = Person.objects.visible_to(membership).filter(household=OuterRef("pk"))
    households = households.annotate(
        people_count=Subquery(
            people.order_by().values("household").annotate(n=Count("id")).values("n")[:1]
        ),
        members_count=Count("members", distinct=True),
    ).order_by("sort_key", "id")
    page = Paginator(households, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(request, "people.household_list.viewed", len(page.object_list))
    return render(request, "people/household_list.html", {"form": form, "page": page})
