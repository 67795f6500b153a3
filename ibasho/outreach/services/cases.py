"""A case's life: stages, closure with one or two approvals, reopening and handover between
workers."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership, Role
from ibasho.audit.services import record_audit
from ibasho.outreach import notices
from ibasho.outreach.models import (
    CloseReason,
    Closure,
    Handover,
    OutreachSettings,
    Stage,
    StageChange,
)
from ibasho.outreach.services.plans import ensure_plan, ensure_plans, refresh_plan
from ibasho.outreach.services.reads import last_two_way_on, trust_summary
from ibasho.people.models import Case, CaseAssignment, Person

# -- stages -------------------------------------------------------------------------------


def current_stage(person: Person) -> StageChange | None:
    return person.stage_changes.first()


@transaction.atomic
def change_stage(
    person: Person, *, stage: str, on: dt.date, note: str = "", by: Any
) -> StageChange:
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    previous = current_stage(person)
    if previous is not None and previous.stage == stage:
        raise ValidationError({"stage": _("This is already the current stage.")})
    if previous is not None and on < previous.changed_on:
        raise ValidationError(
            {"changed_on": _("A stage change cannot be dated before the current stage began.")}
        )
    change = StageChange.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        stage=stage,
        previous_stage=previous.stage if previous else "",
        changed_on=on,
        note=note,
        changed_by=by,
    )
    record_audit("outreach.stage.changed", by=by, person=person, target=change, fields=["stage"])
    return change


# -- case lifecycle -----------------------------------------------------------------------


def _has_role(user: Any, organisation_id: int, roles: tuple[str, ...]) -> bool:
    return Membership.objects.holds(user, organisation_id, roles)


def _require_supervisor(user: Any, organisation_id: int) -> None:
    if not _has_role(user, organisation_id, SUPERVISOR_ROLES):
        raise PermissionDenied


@dataclass(frozen=True)
class ClosureReview:
    """What an approver reads before closing a case: how hard the person was reached for,
    when they last answered, the time spent with them and where they stand."""

    attempts: int
    last_two_way_on: dt.date | None
    days_since_two_way: int | None
    two_way_hours: float
    stage: StageChange | None
    window_days: int

    @property
    def needs_second_approval(self) -> bool:
        return _silent(self.days_since_two_way, self.window_days)


def _silent(days_since_two_way: int | None, window_days: int) -> bool:
    """No two-way contact within the organisation's at-risk window, or never: whatever the
    reason given, closing might be dropping a person for not answering."""
    return days_since_two_way is None or days_since_two_way > window_days


def review_closure(case: Case) -> ClosureReview:
    organisation = case.organisation
    today = organisation.today()
    summary = trust_summary(case.person, today)
    last = last_two_way_on(case.person)
    return ClosureReview(
        attempts=summary.attempts,
        last_two_way_on=last,
        days_since_two_way=(today - last).days if last else None,
        two_way_hours=summary.two_way_hours,
        stage=current_stage(case.person),
        window_days=OutreachSettings.for_organisation(organisation).no_two_way_days,
    )


def needs_second_approval(case: Case) -> bool:
    organisation = case.organisation
    last = last_two_way_on(case.person)
    window = OutreachSettings.for_organisation(organisation).no_two_way_days
    return _silent((organisation.today() - last).days if last else None, window)


@transaction.atomic
def request_closure(case: Case, *, reason: str, reason_text: str = "", by: Any) -> Closure:
    """Ask to close a case. Not answering is never a reason: there is no such choice, and
    a person who has not answered within the at-risk window needs a second approver."""
    if not case.is_open:
        raise ValidationError({"case": _("The case is already closed.")})
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose one of the listed reasons.")})
    if reason == CloseReason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": _("Explain the reason.")})
    if case.closures.filter(status__in=Closure.UNDECIDED).exists():
        raise ValidationError({"case": _("A closure is already waiting for approval.")})
    closure = Closure.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        reason=reason,
        reason_text=reason_text,
        requested_by=by,
    )
    record_audit(
        "outreach.case.closure_requested",
        by=by,
        person=case.person,
        target=closure,
        fields=["reason"],
    )
    notices.closure_requested(closure, by=by)
    return closure


def can_decide(closure: Closure, user: Any, organisation_id: int) -> bool:
    """Whether `user` may decide the closure now (for the page's buttons; the service checks
    again)."""
    if closure.status == Closure.Status.PENDING:
        return _has_role(user, organisation_id, SUPERVISOR_ROLES)
    if closure.status == Closure.Status.AWAITING_SECOND:
        return _has_role(user, organisation_id, (Role.ADMIN,)) and user.pk not in (
            closure.requested_by_id,
            closure.decided_by_id,
        )
    return False


@transaction.atomic
def decide_closure(closure: Closure, *, approve: bool, by: Any) -> Closure:
    """A coordinator's (or admin's) decision on a closure request. When the person has had no
    two-way contact within the at-risk window, an approval only moves the request on to an
    organisation admin, who must be neither the requester nor the first approver; both
    approvals are recorded. Free text is never read for this: the rule holds whatever the
    reason says."""
    _require_supervisor(by, closure.organisation_id)
    # Two approvers at once: the second waits here and then sees the first one's decision.
    closure = (
        Closure.objects.select_for_update(of=("self",))
        .select_related("case__organisation", "case__person")
        .get(pk=closure.pk)
    )
    if not closure.is_undecided:
        raise ValidationError({"closure": _("This closure has already been decided.")})
    case, now = closure.case, timezone.now()
    if closure.status == Closure.Status.PENDING:
        closure.decided_by, closure.decided_at = by, now
        if not approve:
            closure.status = Closure.Status.DECLINED
        elif needs_second_approval(case):
            closure.status = Closure.Status.AWAITING_SECOND
        else:
            closure.status = Closure.Status.APPROVED
    else:
        if not _has_role(by, closure.organisation_id, (Role.ADMIN,)):
            raise PermissionDenied
        if by.pk in (closure.requested_by_id, closure.decided_by_id):
            raise ValidationError(
                {
                    "closure": _(
                        "The second approval must come from an organisation admin other "
                        "than the person who asked and the one who approved first."
                    )
                }
            )
        closure.second_decided_by, closure.second_decided_at = by, now
        closure.status = Closure.Status.APPROVED if approve else Closure.Status.DECLINED
    closure.save()
    if closure.status == Closure.Status.APPROVED:
        case.status = Case.Status.CLOSED
        case.closed_on = case.organisation.today()
        case.save(update_fields=["status", "closed_on", "updated_at"])
        refresh_plan(ensure_plan(case))
    action = {
        Closure.Status.APPROVED: "outreach.case.closed",
        Closure.Status.DECLINED: "outreach.case.closure_declined",
        Closure.Status.AWAITING_SECOND: "outreach.case.closure_first_approved",
    }[Closure.Status(closure.status)]
    record_audit(
        action,
        by=by,
        target=case,
        person=case.person,
        fields=["status"],
    )
    return closure


@transaction.atomic
def close_as_transferred(case: Case, *, requested_by: Any, reference: str) -> Closure:
    """Close a case because another organisation has accepted the person's transfer. The
    sender's coordinator decided the transfer when sending it; the receiver's acceptance is
    the condition, and the guarantee that nobody is dropped for not answering, so no second
    approval is asked. A closure already waiting is settled by this one. Recorded as approved
    by the member who sent the transfer, with the referral's reference as its details."""
    if not case.is_open:
        raise ValidationError({"case": _("The case is already closed.")})
    now = timezone.now()
    for waiting in case.closures.filter(status__in=Closure.UNDECIDED):
        waiting.status, waiting.decided_at = Closure.Status.DECLINED, now
        waiting.save(update_fields=["status", "decided_at", "updated_at"])
    closure = Closure.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        reason=CloseReason.TRANSFERRED,
        reason_text=reference,
        status=Closure.Status.APPROVED,
        requested_by=requested_by,
        decided_by=requested_by,
        decided_at=now,
    )
    case.status = Case.Status.CLOSED
    case.closed_on = case.organisation.today()
    case.save(update_fields=["status", "closed_on", "updated_at"])
    refresh_plan(ensure_plan(case))
    record_audit(
        "outreach.case.closed", by=None, organisation=case.organisation, target=case,
        person=case.person, fields=["status", "reason"],
    )  # fmt: skip
    return closure


@transaction.atomic
def reopen_case(case: Case, *, note: str, by: Any) -> Case:
    """Reopen a closed case; its contacts, stages and earlier closures stay as they were."""
    if case.is_open:
        raise ValidationError({"case": _("The case is already open.")})
    if not note.strip():
        raise ValidationError({"reopen_note": _("Say why the case is reopened.")})
    closure = case.closures.filter(status=Closure.Status.APPROVED, reopened_at__isnull=True).first()
    if closure is not None:
        closure.reopened_by, closure.reopened_at, closure.reopen_note = by, timezone.now(), note
        closure.save()
    case.status, case.closed_on = Case.Status.OPEN, None
    case.save(update_fields=["status", "closed_on", "updated_at"])
    refresh_plan(ensure_plan(case))
    record_audit(
        "outreach.case.reopened", by=by, person=case.person, target=case, fields=["status"]
    )
    return case


# -- handover -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverItem:
    case: Case
    to_worker: Any
    note: str


@transaction.atomic
def hand_over(items: list[HandoverItem], *, from_worker: Any, by: Any) -> list[Handover]:
    """Move cases from one worker to others, each with a note the new worker reads first.
    All or nothing: one bad row changes no case."""
    errors: dict[str, str] = {}
    for index, item in enumerate(items):
        if not item.note.strip():
            errors[f"items.{index}.note"] = _("Write what the new worker should know.")
        if item.to_worker == from_worker:
            errors[f"items.{index}.to_worker"] = _("Choose a different worker.")
        elif not Membership.objects.holds(item.to_worker, item.case.organisation_id):
            errors[f"items.{index}.to_worker"] = _("Not a member of staff of this organisation.")
    if errors:
        raise ValidationError(errors)
    handovers = []
    for item in items:
        case = item.case
        CaseAssignment.objects.filter(case=case, worker=from_worker).delete()
        CaseAssignment.objects.get_or_create(
            organisation_id=case.organisation_id,
            case=case,
            worker=item.to_worker,
            defaults={"is_lead": True},
        )
        handover = Handover.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            from_worker=from_worker,
            to_worker=item.to_worker,
            note=item.note,
            handed_over_by=by,
        )
        record_audit(
            "outreach.case.handed_over",
            by=by,
            person=case.person,
            target=handover,
            fields=["workers", "note"],
        )
        handovers.append(handover)
    notices.handovers_received(handovers, by=by)
    return handovers


@transaction.atomic
def acknowledge_handover(handover: Handover, *, by: Any) -> Handover:
    if handover.to_worker_id != getattr(by, "pk", None):
        raise PermissionDenied
    if handover.seen_at is None:
        handover.seen_at = timezone.now()
        handover.save(update_fields=["seen_at", "updated_at"])
        record_audit(
            "outreach.handover.read",
            by=by,
            person=handover.case.person,
            target=handover,
            fields=["seen_at"],
        )
    return handover


def plan_for_new_case(sender: Any, case: Case, **kwargs: Any) -> None:
    """Give a newly opened case its plan (receives `people.signals.case_opened`)."""
    ensure_plan(case)


def plans_for_new_cases(sender: Any, cases: list[Case], **kwargs: Any) -> None:
    """Give cases opened together their plans (receives `people.signals.cases_opened`)."""
    ensure_plans(cases)
