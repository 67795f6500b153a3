import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.models import SUPERVISOR_ROLES, Role, User
from ibasho.audit.services import record_audit
from ibasho.lib.panels import today_panels
from ibasho.lib.urls import link_by_code
from ibasho.outreach import charts, services, trust
from ibasho.outreach.forms import (
    ClosureForm,
    ContactForm,
    HandoverForm,
    OutreachSettingsForm,
    PlanForm,
    QuietPeriodForm,
    ReopenForm,
    StageForm,
    staff_of,
)
from ibasho.outreach.models import (
    Cadence,
    Closure,
    Contact,
    Handover,
    OutreachPlan,
    OutreachSettings,
    QueuePerson,
    QueueRow,
    QuietPeriod,
)
from ibasho.people.models import Case, Person


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's validation errors on the form, on the field when it has one."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _submitted(request: HttpRequest, form: Any, save: Callable[[dict[str, Any]], object]) -> bool:
    """True once a posted, valid form has been saved by `save` (one service call); the
    service's own validation errors go back onto the form and nothing is saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        _apply_errors(form, error)
        return False
    return True


def coordinator_overview(membership: Any, today: dt.date) -> dict[str, Any]:
    config = OutreachSettings.for_organisation(membership.organisation)
    at_risk = list(
        OutreachPlan.objects.visible_to(membership)
        .at_risk(today, config)
        .select_related("case__person")
        .order_by(
            F("last_contact_on").asc(nulls_first=True), F("last_two_way_on").asc(nulls_first=True)
        )[:100]
    )
    overdue = (
        Cadence.objects.visible_to(membership)
        .due_on(today - dt.timedelta(days=1))
        .values("plan__case__assignments__worker")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    workers = {
        u.pk: u
        for u in User.objects.filter(pk__in=[r["plan__case__assignments__worker"] for r in overdue])
    }
    unassigned = list(
        Case.objects.visible_to(membership)
        .filter(status=Case.Status.OPEN, assignments__isnull=True)
        .select_related("person")
        .order_by("opened_on")[:100]
    )
    return {
        "config": config,
        "at_risk": [(plan, plan.risk(today, config)) for plan in at_risk],
        "overdue_by_worker": [
            (workers.get(row["plan__case__assignments__worker"]), row["n"]) for row in overdue
        ],
        "unassigned": unassigned,
    }


# The most urgent rows shown at once; the rest are counted, one link away.
TODAY_ROWS = 50
TODAY_ALL_ROWS = 500


def due_row_labels() -> dict[str, str]:
    """Words every row repeats (column labels for phone layouts, button texts), translated
    once per page."""
    return {
        "person": _("person"),
        "channel": _("channel"),
        "due": _("due"),
        "avoid": _("Things to avoid"),
        "log": _("Log"),
        "no_answer": _("No answer"),
        "record": _("Record contact"),
    }


@dataclass(frozen=True)
class DueRow:
    """One line of the Today list with its links and phrases made in Python: as template tags
    the same work took longer than the page's SQL."""

    code: str
    person: QueuePerson
    channel_label: str
    unanswered: str
    next_due_on: dt.date | None
    overdue: str
    person_url: str
    log_url: str
    record_url: str


def due_rows(items: list[QueueRow], day: dt.date) -> list[DueRow]:
    person_url = link_by_code("people:person_detail")
    log_url = link_by_code("outreach:log_attempt")
    record_url = link_by_code("outreach:contact_create")
    channels = {value: str(label) for value, label in Contact.Channel.choices}
    rows = []
    for item in items:
        person, tries, late = item.person, item.unanswered, item.days_overdue(day)
        rows.append(
            DueRow(
                code=str(item.code),
                person=person,
                channel_label=channels.get(item.channel, item.channel),
                unanswered=(
                    ngettext("%(n)s unanswered", "%(n)s unanswered", tries) % {"n": tries}
                    if tries
                    else ""
                ),
                next_due_on=item.next_due_on,
                overdue=(
                    ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}
                    if late
                    else ""
                ),
                person_url=person_url(person.code),
                log_url=log_url(item.code),
                record_url=f"{record_url(person.code)}?channel={item.channel}",
            )
        )
    return rows


@member_required()
def today(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    day = services.organisation_today(membership.organisation)
    queue = Cadence.objects.visible_to(membership).queue(request.user, day)
    limit = TODAY_ALL_ROWS if request.GET.get("all") else TODAY_ROWS
    due = due_rows(queue[:limit].rows(), day)
    # Counted every time, so the page costs the same queries for a short queue and a long one.
    total = queue.count()
    handovers = list(
        Handover.objects.visible_to(membership)
        .filter(to_worker=request.user, seen_at__isnull=True)
        .select_related("case__person", "from_worker")
    )
    context = {
        "today": day,
        "due": due,
        "due_total": total,
        "labels": due_row_labels(),
        "handovers": handovers,
        "panels": today_panels.render_list(request),
    }
    if membership.is_supervisor:
        context["overview"] = coordinator_overview(membership, day)
    return render(request, "outreach/today.html", context)


@member_required()
@require_POST
def log_attempt(request: HttpRequest, code: str) -> HttpResponse:
    """One tap on Today: record an unanswered attempt and show the row's new state."""
    membership = _membership(request)
    item = get_object_or_404(
        Cadence.objects.visible_to(membership).select_related("plan__case__person"), code=code
    )
    if not item.plan.case.is_open:
        raise Http404
    contact = services.log_attempt(item, by=request.user)
    day = services.organisation_today(membership.organisation)
    row = due_rows(Cadence.objects.filter(pk=item.pk).rows(), day)[0]
    context = {"row": row, "today": day, "logged": contact, "labels": due_row_labels()}
    if request.headers.get("HX-Request"):
        return render(request, "outreach/_due_row.html", context)
    return redirect("outreach:today")


@member_required()
def contact_create(request: HttpRequest, code: str) -> HttpResponse:
    membership = _membership(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("channel") in Contact.Channel.values:
        initial["channel"] = request.GET["channel"]
    form = ContactForm(request.POST or None, person=person, initial=initial)

    def save(data: dict[str, Any]) -> Contact:
        return services.record_contact(person, by=request.user, **data)

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/contact_form.html", {"form": form, "person": person})


@member_required()
def contact_list(request: HttpRequest, code: str) -> HttpResponse:
    membership = _membership(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    services.audit("outreach.contacts.viewed", by=request.user, person=person, target=person)
    contacts = person.contacts.select_related("staff", "second_staff", "family_member")
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/contact_list.html", {"person": person, "page": page})


def _contact(request: HttpRequest, code: str) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(_membership(request)).select_related("person", "staff"),
        code=code,
    )


@member_required()
def contact_detail(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    services.audit(
        "outreach.contact.viewed", by=request.user, person=contact.person, target=contact
    )
    revisions = contact.revisions.select_related("edited_by")
    return render(
        request,
        "outreach/contact_detail.html",
        {"contact": contact, "person": contact.person, "revisions": revisions},
    )


@member_required()
def contact_edit(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    form = ContactForm(request.POST or None, instance=contact, person=contact.person)

    def save(data: dict[str, Any]) -> Contact:
        contact.refresh_from_db()  # the form changed the instance: reload to diff honestly
        return services.edit_contact(contact, by=request.user, **data)

    if _submitted(request, form, save):
        return redirect("outreach:contact_detail", code=contact.code)
    return render(
        request,
        "outreach/contact_form.html",
        {"form": form, "person": contact.person, "contact": contact},
    )


@member_required(Role.ADMIN)
def contact_delete(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    if request.method == "POST":
        person = contact.person
        services.delete_contact(contact, by=request.user)
        return redirect("outreach:contact_list", code=person.code)
    return render(
        request, "outreach/contact_delete.html", {"contact": contact, "person": contact.person}
    )


def _case(request: HttpRequest, code: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(_membership(request)).select_related("person", "organisation"),
        code=code,
    )


@member_required()
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    plan = services.ensure_plan(case)
    form = PlanForm(request.POST or None, instance=plan)

    def save(data: dict[str, Any]) -> Any:
        return services.set_plan(
            plan,
            cadences=form.cadences(),
            backoff_factor=data["backoff_factor"],
            backoff_ceiling_days=data["backoff_ceiling_days"],
            by=request.user,
        )

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(
        request, "outreach/plan_form.html", {"form": form, "person": case.person, "case": case}
    )


@member_required()
def quiet_create(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    plan = services.ensure_plan(case)
    day = services.organisation_today(case.organisation)
    form = QuietPeriodForm(request.POST or None, today=day)

    def save(data: dict[str, Any]) -> Any:
        return services.start_quiet_period(
            plan,
            until=data["until"],
            continuing=data["continuing"],
            note=data["note"],
            by=request.user,
        )

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(request, "outreach/quiet_form.html", {"form": form, "person": case.person})


@member_required()
@require_POST
def quiet_end(request: HttpRequest, code: str) -> HttpResponse:
    quiet = get_object_or_404(
        QuietPeriod.objects.visible_to(_membership(request)).select_related("plan__case__person"),
        code=code,
    )
    services.end_quiet_period(quiet, by=request.user)
    return redirect("people:person_detail", code=quiet.plan.case.person.code)


@member_required()
def stage_change(request: HttpRequest, code: str) -> HttpResponse:
    membership = _membership(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    day = services.organisation_today(membership.organisation)
    form = StageForm(request.POST or None, initial={"changed_on": day})

    def save(data: dict[str, Any]) -> Any:
        return services.change_stage(
            person, stage=data["stage"], on=data["changed_on"], note=data["note"], by=request.user
        )

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/stage_form.html", {"form": form, "person": person})


@member_required()
def closure_request(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    form = ClosureForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.request_closure(
            case, reason=data["reason"], reason_text=data["reason_text"], by=request.user
        )

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(request, "outreach/closure_form.html", {"form": form, "person": case.person})


@member_required(*SUPERVISOR_ROLES)
@require_POST
def closure_decide(request: HttpRequest, code: str) -> HttpResponse:
    closure = get_object_or_404(
        Closure.objects.visible_to(_membership(request)).select_related("case__person"),
        code=code,
    )
    try:
        services.decide_closure(
            closure, approve=request.POST.get("decision") == "approve", by=request.user
        )
    except ValidationError:
        pass  # already decided by someone else: the page shows the current state
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("people:person_detail", code=closure.case.person.code)


@member_required()
def case_reopen(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    form = ReopenForm(request.POST or None)

    def save(data: dict[str, Any]) -> Case:
        return services.reopen_case(case, note=data["note"], by=request.user)

    if _submitted(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(request, "outreach/reopen_form.html", {"form": form, "person": case.person})


@member_required(*SUPERVISOR_ROLES)
def handover(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    staff = staff_of(membership.organisation)
    departing = staff.filter(username=request.GET.get("worker", "")).first()
    cases = []
    if departing is not None:
        cases = list(
            Case.objects.visible_to(membership)
            .filter(status=Case.Status.OPEN, assignments__worker=departing)
            .select_related("person")
            .order_by("person__sort_key")
        )
    form = HandoverForm(
        request.POST or None, cases=cases, staff=staff.exclude(pk=getattr(departing, "pk", None))
    )

    def save(data: dict[str, Any]) -> Any:
        items = [services.HandoverItem(case, to, note) for case, to, note in form.selected()]
        return services.hand_over(items, from_worker=departing, by=request.user)

    if departing is not None and _submitted(request, form, save):
        return redirect("outreach:today")
    return render(
        request, "outreach/handover.html", {"form": form, "staff": staff, "departing": departing}
    )


@member_required()
@require_POST
def handover_seen(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        Handover.objects.visible_to(_membership(request)).select_related("case__person"),
        code=code,
    )
    try:
        services.acknowledge_handover(item, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("people:person_detail", code=item.case.person.code)


@member_required(*SUPERVISOR_ROLES)
def settings_edit(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    config = OutreachSettings.for_organisation(membership.organisation)
    form = OutreachSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_audit(
            "outreach.settings.changed",
            by=request.user,
            organisation=membership.organisation,
            target=config,
            fields=form.changed_data,
        )
        return redirect("outreach:today")
    return render(request, "outreach/settings_form.html", {"form": form})


def person_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """The outreach part of the person page: handover notes first, then trust, stage, plan
    and recent contacts. A fixed number of queries whatever the history's length."""
    membership = _membership(request)
    if membership is None or not membership.reads_personal_data:
        return None
    day = services.organisation_today(membership.organisation)
    summary = services.trust_summary(person, day)
    pending = Prefetch(
        "case__closures",
        queryset=Closure.objects.filter(status=Closure.Status.PENDING),
        to_attr="pending_closures",
    )
    plans = (
        OutreachPlan.objects.filter(case__person=person)
        .select_related("case")
        .prefetch_related("cadences", "quiet_periods", pending)
        .order_by("-case__opened_on")
    )
    return {
        "trust": summary,
        "progress_percent": round(summary.milestone_progress * 100),
        "chart": hours_chart(summary, f"hours-{person.code.hex[:8]}"),
        "stages": list(person.stage_changes.all()[:24]),
        "plans": [
            {
                "plan": plan,
                "quiet": services.current_quiet(plan, day),
                "pending": (plan.case.pending_closures or [None])[0],
            }
            for plan in plans
        ],
        "handovers": list(
            Handover.objects.filter(case__person=person, seen_at__isnull=True).select_related(
                "from_worker"
            )
        ),
        "recent": list(person.contacts.all()[:10]),
    }


def hours_chart(summary: trust.TrustSummary, chart_id: str) -> str:
    bars = charts.month_bars(
        [(m.year, m.month, (m.two_way_hours, m.family_hours)) for m in summary.months],
        get_language() or "ja",
    )
    series = [
        charts.Series(str(_("with the person")), "#2a6f97"),
        charts.Series(str(_("family support")), "#9cc9d9"),
    ]
    svg = charts.bar_chart_svg(
        bars, series, title=str(_("Hours per month")), unit=str(_("h")), chart_id=chart_id
    )
    return mark_safe(svg)  # noqa: S308 -- every text in the chart is escaped by the builder
