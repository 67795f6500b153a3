"""A case's plan, quiet periods, stage, closure, reopening and handover."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read, people_in, record_audit
from ibasho.lib.web import confirm_page, confirmed, saved
from ibasho.outreach import services
from ibasho.outreach.forms import (
    ClosureForm,
    HandoverForm,
    PlanForm,
    QuietPeriodForm,
    ReopenForm,
    StageForm,
    staff_of,
)
from ibasho.outreach.models import (
    Closure,
    Handover,
    OutreachSettings,
    QuietPeriod,
)
from ibasho.people.models import Case, Person


def _case(request: MemberRequest, code: str, page: str) -> Case:
    """The case, for a page about it (its opening is recorded as a read)."""
    case = get_object_or_404(
        Case.objects.visible_to(request.membership).select_related("person", "organisation"),
        code=code,
    )
    audit_read(request, f"outreach.{page}.viewed", case, person=case.person)
    return case


@member_required()
def plan_edit(request: MemberRequest, code: str) -> HttpResponse:
    case = _case(request, code, "plan_form")
    plan = services.ensure_plan(case)
    form = PlanForm(request.POST or None, instance=plan)

    def save(**data: Any) -> Any:
        return services.set_plan(
            plan,
            cadences=form.cadences(),
            backoff_factor=data["backoff_factor"],
            backoff_ceiling_days=data["backoff_ceiling_days"],
            by=request.user,
        )

    if saved(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(
        request, "outreach/plan_form.html", {"form": form, "person": case.person, "case": case}
    )


@member_required()
def quiet_create(request: MemberRequest, code: str) -> HttpResponse:
    case = _case(request, code, "quiet_form")
    plan = services.ensure_plan(case)
    form = QuietPeriodForm(request.POST or None)
    config = OutreachSettings.for_organisation(case.organisation)

    def save(**data: Any) -> Any:
        return services.start_quiet_period(
            plan,
            until=data["until"],
            continuing=data["continuing"],
            note=data["note"],
            asked_by=data["asked_by"],
            by=request.user,
        )

    if saved(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(
        request,
        "outreach/quiet_form.html",
        {"form": form, "person": case.person, "max_days": config.quiet_max_days},
    )


@member_required(*SUPERVISOR_ROLES)
def quiet_list(request: MemberRequest) -> HttpResponse:
    """The coordinator's view of pauses: those waiting for a decision, those ending within a
    week, and every other current one."""
    membership = request.membership
    today = membership.organisation.today()
    current = list(
        QuietPeriod.objects.visible_to(membership)
        .filter(ended_on__isnull=True, until__gt=today, plan__case__status=Case.Status.OPEN)
        .select_related("plan__case__person", "recorded_by")
        .order_by("until", "pk")
    )
    audit_list(request, "outreach.quiet_period.list", people_in(q.plan.case for q in current))
    soon = today + dt.timedelta(days=7)
    return render(
        request,
        "outreach/quiet_list.html",
        {
            "waiting": [q for q in current if q.requested_until],
            "ending": [q for q in current if not q.requested_until and q.until <= soon],
            "others": [q for q in current if not q.requested_until and q.until > soon],
        },
    )


@member_required(*SUPERVISOR_ROLES)
@require_POST
def quiet_decide(request: MemberRequest, code: str) -> HttpResponse:
    quiet = get_object_or_404(QuietPeriod.objects.visible_to(request.membership), code=code)
    try:
        services.decide_quiet_period(
            quiet, approve=request.POST.get("decision") == "approve", by=request.user
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    return redirect("outreach:quiet_list")


@member_required()
@require_POST
def quiet_end(request: MemberRequest, code: str) -> HttpResponse:
    quiet = get_object_or_404(
        QuietPeriod.objects.visible_to(request.membership).select_related("plan__case__person"),
        code=code,
    )
    back = reverse("people:person_detail", args=[quiet.plan.case.person.code])
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("End a quiet period early"),
            question=_("End this quiet period today? Outreach starts again."),
            button=_("End early"),
            back=back,
        )
    services.end_quiet_period(quiet, by=request.user)
    messages.success(request, _("The quiet period has ended."))
    return redirect(back)


@member_required()
def stage_change(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "outreach.stage_form.viewed", person, person=person)
    day = membership.organisation.today()
    form = StageForm(request.POST or None, initial={"changed_on": day})

    def save(**data: Any) -> Any:
        return services.change_stage(
            person, stage=data["stage"], on=data["changed_on"], note=data["note"], by=request.user
        )

    if saved(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/stage_form.html", {"form": form, "person": person})


@member_required()
def closure_request(request: MemberRequest, code: str) -> HttpResponse:
    case = _case(request, code, "closure_form")
    form = ClosureForm(request.POST or None)

    def save(**data: Any) -> Any:
        return services.request_closure(
            case, reason=data["reason"], reason_text=data["reason_text"], by=request.user
        )

    if saved(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(request, "outreach/closure_form.html", {"form": form, "person": case.person})


@member_required(*SUPERVISOR_ROLES)
def closure_detail(request: MemberRequest, code: str) -> HttpResponse:
    """The approval screen: the request beside the person's outreach record (attempts, last
    two-way contact, hours, stage), and the decision."""
    membership = request.membership
    closure = get_object_or_404(
        Closure.objects.visible_to(membership).select_related(
            "case__person", "case__organisation", "requested_by", "decided_by", "second_decided_by"
        ),
        code=code,
    )
    error = ""
    if request.method == "POST":
        try:
            services.decide_closure(
                closure, approve=request.POST.get("decision") == "approve", by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            return redirect("outreach:closure_detail", code=closure.code)
        closure.refresh_from_db()
    record_audit(
        "outreach.closure.viewed", by=request.user, person=closure.case.person, target=closure
    )
    context = {
        "closure": closure,
        "person": closure.case.person,
        "review": services.review_closure(closure.case),
        "can_decide": services.can_decide(closure, request.user, membership.organisation_id),
        "error": error,
    }
    return render(request, "outreach/closure_detail.html", context)


@member_required()
def case_reopen(request: MemberRequest, code: str) -> HttpResponse:
    case = _case(request, code, "reopen_form")
    form = ReopenForm(request.POST or None)

    def save(**data: Any) -> Case:
        return services.reopen_case(case, note=data["note"], by=request.user)

    if saved(request, form, save):
        return redirect("people:person_detail", code=case.person.code)
    return render(request, "outreach/reopen_form.html", {"form": form, "person": case.person})


@member_required(*SUPERVISOR_ROLES)
def handover(request: MemberRequest) -> HttpResponse:
    membership = request.membership
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
        audit_list(request, "outreach.handover.viewed", len(cases))
    form = HandoverForm(
        request.POST or None, cases=cases, staff=staff.exclude(pk=getattr(departing, "pk", None))
    )

    def save(**data: Any) -> Any:
        items = [services.HandoverItem(case, to, note) for case, to, note in form.selected()]
        return services.hand_over(items, from_worker=departing, by=request.user)

    if departing is not None and saved(request, form, save):
        return redirect("outreach:today")
    return render(
        request, "outreach/handover.html", {"form": form, "staff": staff, "departing": departing}
    )


@member_required()
@require_POST
def handover_seen(request: MemberRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        Handover.objects.visible_to(request.membership).select_related("case__person"),
        code=code,
    )
    try:
        services.acknowledge_handover(item, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("people:person_detail", code=item.case.person.code)
