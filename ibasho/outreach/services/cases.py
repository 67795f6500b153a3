"""A case's life: stages, closure with approval, reopening and handover between workers."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import CASE_ROLES, SUPERVISOR_ROLES, Membership
from ibasho.audit.services import record_audit
from ibasho.outreach.models import (
    CloseReason,
    Closure,
    Handover,
    Stage,
    StageChange,
)
from ibasho.outreach.services.plans import ensure_plan, refresh_plan
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


def _require_supervisor(user: Any, organisation_id: int) -> None:
    if (
        not Membership.objects.active()
        .filter(user=user, organisation_id=organisation_id, role__in=SUPERVISOR_ROLES)
        .exists()
    ):
        raise PermissionDenied


@transaction.atomic
def request_closure(case: Case, *, reason: str, reason_text: str = "", by: Any) -> Closure:
    """Ask to close a case. Not answering is never a reason: there is no such choice."""
    if not case.is_open:
        raise ValidationError({"case": _("The case is already closed.")})
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose one of the listed reasons.")})
    if reason == CloseReason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": _("Explain the reason.")})
    if case.closures.filter(status=Closure.Status.PENDING).exists():
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
    return closure


@transaction.atomic
def decide_closure(closure: Closure, *, approve: bool, by: Any) -> Closure:
    _require_supervisor(by, closure.organisation_id)
    if closure.status != Closure.Status.PENDING:
        raise ValidationError({"closure": _("This closure has already been decided.")})
    closure.status = Closure.Status.APPROVED if approve else Closure.Status.DECLINED
    closure.decided_by = by
    closure.decided_at = timezone.now()
    closure.save()
    case = closure.case
    if approve:
        case.status = Case.Status.CLOSED
        case.closed_on = case.organisation.today()
        case.save(update_fields=["status", "closed_on", "updated_at"])
        refresh_plan(ensure_plan(case))
    action = "outreach.case.closed" if approve else "outreach.case.closure_declined"
    record_audit(
        action,
        by=by,
        organisation=case.organisation,
        target=case,
        person=case.person,
        fields=["status"],
    )
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
        elif (
            not Membership.objects.active()
            .filter(
                user=item.to_worker, organisation_id=item.case.organisation_id, role__in=CASE_ROLES
            )
            .exists()
        ):
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
