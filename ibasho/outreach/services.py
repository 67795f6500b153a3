"""Writes of the outreach app: contacts, plans, quiet periods, stages, case lifecycle and
handovers. Each runs in a transaction, writes an audit entry and keeps the plan's due dates
current so that the Today queue never replays contact history."""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Min, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import CASE_ROLES, SUPERVISOR_ROLES, Membership
from ibasho.audit.services import record_audit
from ibasho.outreach import cadence as rules
from ibasho.outreach import trust
from ibasho.outreach.models import (
    TWO_WAY_CONTACTS,
    Cadence,
    CloseReason,
    Closure,
    Contact,
    ContactRevision,
    Handover,
    OutreachPlan,
    OutreachSettings,
    QuietPeriod,
    Stage,
    StageChange,
)
from ibasho.people.models import Case, CaseAssignment, Person

# Fields a worker may set or edit on a contact.
CONTACT_FIELDS = (
    "occurred_at", "staff", "second_staff", "channel", "reached", "family_member",
    "direction", "outcome", "duration_minutes", "note", "next_step",
)  # fmt: skip

# What one tap on Today records, per channel: the usual outcome of an unanswered attempt and
# a typical time spent (editable afterwards). Attempts never count toward trust hours.
QUICK_ATTEMPT: dict[str, tuple[str, int]] = {
    Contact.Channel.LETTER: (Contact.Outcome.LETTER_LEFT, 15),
    Contact.Channel.POSTCARD: (Contact.Outcome.LETTER_LEFT, 10),
    Contact.Channel.DOOR_VISIT: (Contact.Outcome.NO_RESPONSE, 20),
    Contact.Channel.PHONE: (Contact.Outcome.NO_RESPONSE, 5),
    Contact.Channel.MESSAGE: (Contact.Outcome.NO_RESPONSE, 5),
    Contact.Channel.EMAIL: (Contact.Outcome.NO_RESPONSE, 10),
    Contact.Channel.VIDEO_CALL: (Contact.Outcome.NO_RESPONSE, 5),
}


def audit(
    action: str, *, by: Any, person: Person, target: Any = None, fields: Iterable[str] = ()
) -> None:
    """An audit entry about one person's records, in that person's organisation."""
    record_audit(
        action,
        by=by,
        organisation=person.organisation,
        target=target,
        person=person,
        fields=fields,
    )


def organisation_zone(organisation: Any) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone or "Asia/Tokyo")


def organisation_today(organisation: Any) -> dt.date:
    return timezone.now().astimezone(organisation_zone(organisation)).date()


@dataclass(frozen=True)
class History:
    """A person's contact history as plain data, read in one query."""

    records: list[trust.ContactRecord]
    attempts: list[rules.Attempt]


def person_history(person: Person) -> History:
    zone = organisation_zone(person.organisation)
    rows = Contact.objects.filter(person_id=person.pk).values_list(
        "occurred_at", "channel", "duration_minutes", "reached", "outcome"
    )
    records, attempts = [], []
    for at, channel, minutes, reached, outcome in rows:
        two_way = Contact.counts_as_two_way(reached, outcome)
        records.append(trust.ContactRecord(at, minutes, reached, two_way))
        attempts.append(rules.Attempt(at.astimezone(zone).date(), channel, two_way))
    return History(records, attempts)


FAMILY = ~TWO_WAY_CONTACTS & Q(reached=Contact.Reached.FAMILY)
ATTEMPT = ~TWO_WAY_CONTACTS & ~Q(reached=Contact.Reached.FAMILY)


def trust_totals(contacts: QuerySet[Contact]) -> trust.Totals:
    """`trust.totals_of` computed by the database, in one query whatever the history's length.
    Attempts before the first two-way contact are those strictly earlier than it."""
    first_two_way = (
        contacts.filter(TWO_WAY_CONTACTS).order_by("occurred_at").values("occurred_at")[:1]
    )
    found = contacts.aggregate(
        two_way_minutes=Sum("duration_minutes", filter=TWO_WAY_CONTACTS, default=0),
        family_minutes=Sum("duration_minutes", filter=FAMILY, default=0),
        attempts=Count("id", filter=ATTEMPT),
        attempts_before=Count("id", filter=ATTEMPT & Q(occurred_at__lt=Subquery(first_two_way))),
        first_response_at=Min("occurred_at", filter=TWO_WAY_CONTACTS),
    )
    responded = found["first_response_at"] is not None
    return trust.Totals(
        two_way_minutes=found["two_way_minutes"],
        family_minutes=found["family_minutes"],
        attempts=found["attempts"],
        first_response=trust.FirstResponse(
            found["attempts_before"] if responded else found["attempts"],
            responded,
            found["first_response_at"],
        ),
    )


def trust_windows(person: Person, today: dt.date, zone: ZoneInfo) -> trust.Windows:
    """`trust.Windows` summed by the database in one grouped query: each contact is placed in
    its month and week by comparing its time with where each month and week begins in the
    organisation's zone. Written as SQL (standard, for both databases) because building the
    same thirty-odd CASE branches through the ORM cost the person page more than the query."""
    months = trust.month_starts(today, zone)
    weeks = trust.week_starts(today, zone)  # the latest first, then tomorrow
    keys = trust.months_back(today, len(months) - 1)
    adapt = connection.ops.adapt_datetimefield_value
    month_case = " ".join(f"WHEN occurred_at >= %s THEN {n}" for n in range(len(keys) - 1, -1, -1))
    week_case = " ".join(f"WHEN occurred_at >= %s THEN {n}" for n in range(len(weeks) - 1))
    two_way = ", ".join(["%s"] * len(Contact.TWO_WAY_OUTCOMES))
    sql = f"""
        SELECT CASE {month_case} END,
               CASE WHEN occurred_at >= %s THEN NULL {week_case} END,
               CASE WHEN reached = %s AND outcome IN ({two_way}) THEN 'two_way'
                    WHEN reached = %s THEN 'family' ELSE 'attempt' END,
               SUM(duration_minutes)
        FROM {Contact._meta.db_table}
        WHERE organisation_id = %s AND person_id = %s AND occurred_at >= %s AND occurred_at < %s
        GROUP BY 1, 2, 3
    """  # noqa: S608 -- only placeholders and numbers are interpolated
    params = [
        *[adapt(start) for start in months[-2::-1]],
        adapt(weeks[-1]),
        *[adapt(start) for start in weeks[:-1]],
        Contact.Reached.PERSON,
        *sorted(Contact.TWO_WAY_OUTCOMES),
        Contact.Reached.FAMILY,
        person.organisation_id,
        person.pk,
        adapt(months[0]),
        adapt(months[-1]),
    ]
    minutes: dict[tuple[int, int], list[int]] = {}
    weeks_with_two_way = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for month, week, kind, total in cursor.fetchall():
            if kind == "attempt":
                continue
            bucket = minutes.setdefault(keys[month], [0, 0])
            bucket[0 if kind == "two_way" else 1] += total
            if kind == "two_way" and week is not None:
                weeks_with_two_way.add(week)
    return trust.Windows(minutes, len(weeks_with_two_way))


def trust_summary(person: Person, today: dt.date | None = None) -> trust.TrustSummary:
    """Trust figures summed by the database, so the person page costs the same for ten
    contacts and ten thousand."""
    organisation = person.organisation
    today = today or organisation_today(organisation)
    zone = organisation_zone(organisation)
    contacts = Contact.objects.filter(organisation_id=person.organisation_id, person_id=person.pk)
    return trust.summarise_totals(trust_totals(contacts), trust_windows(person, today, zone), today)


# -- plans --------------------------------------------------------------------------------


def ensure_plan(case: Case) -> OutreachPlan:
    """Every case has a plan from its first day: an open case nobody plans for is how people
    get dropped. The first cadence comes from the organisation's settings."""
    plan = OutreachPlan.objects.filter(case=case).first()
    if plan is not None:
        return plan
    config = OutreachSettings.for_organisation(case.organisation)
    plan = OutreachPlan.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        backoff_factor=config.backoff_factor,
        backoff_ceiling_days=config.backoff_ceiling_days,
    )
    Cadence.objects.create(
        organisation_id=case.organisation_id,
        plan=plan,
        channel=config.default_channel,
        every_days=config.default_every_days,
        starts_on=case.opened_on,
    )
    refresh_plan(plan)
    return plan


def current_quiet(plan: OutreachPlan, today: dt.date) -> QuietPeriod | None:
    """The quiet period in force or agreed for the future (the latest one recorded)."""
    for quiet in plan.quiet_periods.all():
        if quiet.effective_until > today:
            return quiet
    return None


def refresh_plan(
    plan: OutreachPlan, history: History | None = None, *, appended: rules.Attempt | None = None
) -> None:
    """Recompute each cadence's backoff state and due date and the plan's summary dates. Runs on
    every write that could change them. A contact `appended` after every other one moves the
    stored states on by one attempt; anything else (back-dated, edited, deleted contacts)
    replays the person's history, which keeps those cases correct."""
    case = plan.case
    today = organisation_today(case.organisation)
    cadences = list(plan.cadences.all())
    if appended is not None and comes_last(plan, appended):
        plan.last_contact_on = appended.on
        if appended.answered:
            plan.last_two_way_on = appended.on
        states = {
            item.pk: rules.apply_attempt(
                rules.CadenceState(item.last_on, item.unanswered), item.channel, appended
            )
            for item in cadences
        }
    else:
        zone = organisation_zone(case.organisation)
        history = history or person_history(case.person)
        local = [(r.occurred_at.astimezone(zone).date(), r.two_way) for r in history.records]
        plan.last_contact_on = max((day for day, _ in local), default=None)
        plan.last_two_way_on = max((day for day, two_way in local if two_way), default=None)
        states = {
            item.pk: rules.state_from_history(item.channel, history.attempts) for item in cadences
        }
    quiet = current_quiet(plan, today)
    quiet_data = quiet.as_data() if quiet else None
    for item in cadences:
        state = states[item.pk]
        item.last_on, item.unanswered = state.last_on, state.unanswered
        item.next_due_on = (
            rules.due_on(item.as_data(), state, plan.backoff(), quiet_data).due_on
            if case.is_open
            else None
        )
    Cadence.objects.bulk_update(cadences, ["last_on", "unanswered", "next_due_on"])
    plan.next_due_on = min((c.next_due_on for c in cadences if c.next_due_on), default=None)
    plan.save(update_fields=["last_contact_on", "last_two_way_on", "next_due_on", "updated_at"])


def comes_last(plan: OutreachPlan, attempt: rules.Attempt) -> bool:
    """Whether replaying the history would apply `attempt` after every stored contact (the
    replay orders by day, answered contacts last within a day)."""
    last = plan.last_contact_on
    return last is None or attempt.on > last or (attempt.on == last and attempt.answered)


def refresh_plans_for(person: Person, *, appended: rules.Attempt | None = None) -> None:
    history = None if appended else person_history(person)
    for plan in OutreachPlan.objects.filter(case__person=person).select_related(
        "case__organisation", "case__person"
    ):
        refresh_plan(plan, history, appended=appended)


@transaction.atomic
def set_plan(
    plan: OutreachPlan,
    *,
    cadences: dict[str, int],
    backoff_factor: Any,
    backoff_ceiling_days: int,
    by: Any,
) -> OutreachPlan:
    """Replace a plan's cadences (channel -> every N days) and its backoff rule."""
    if plan.case.is_open and not cadences:
        raise ValidationError(
            {"cadences": _("An open case needs at least one way of reaching out.")}
        )
    today = organisation_today(plan.organisation)
    plan.backoff_factor = backoff_factor
    plan.backoff_ceiling_days = backoff_ceiling_days
    plan.full_clean()
    plan.save()
    existing = {c.channel: c for c in plan.cadences.all()}
    for channel, every_days in cadences.items():
        item = existing.pop(channel, None) or Cadence(
            organisation_id=plan.organisation_id, plan=plan, channel=channel, starts_on=today
        )
        item.every_days = every_days
        item.full_clean(exclude=["plan"])
        item.save()
    for item in existing.values():
        item.delete()
    refresh_plan(plan)
    audit(
        "outreach.plan.changed",
        by=by,
        person=plan.case.person,
        target=plan,
        fields=["cadences", "backoff"],
    )
    return plan


@transaction.atomic
def start_quiet_period(
    plan: OutreachPlan, *, until: dt.date, continuing: list[str], note: str, by: Any
) -> QuietPeriod:
    today = organisation_today(plan.organisation)
    if until <= today:
        raise ValidationError({"until": _("The quiet period must end after today.")})
    unknown = set(continuing) - set(Contact.Channel.values)
    if unknown:
        raise ValidationError({"continuing_channels": _("Unknown channel.")})
    for earlier in plan.quiet_periods.filter(ended_on__isnull=True, until__gt=today):
        earlier.ended_on = today
        earlier.save(update_fields=["ended_on", "updated_at"])
    quiet = QuietPeriod.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        starts_on=today,
        until=until,
        continuing_channels=sorted(continuing),
        note=note,
        recorded_by=by,
    )
    refresh_plan(plan)
    audit(
        "outreach.quiet_period.started",
        by=by,
        person=plan.case.person,
        target=quiet,
        fields=["until", "continuing_channels"],
    )
    return quiet


@transaction.atomic
def end_quiet_period(quiet: QuietPeriod, *, by: Any) -> QuietPeriod:
    quiet.ended_on = organisation_today(quiet.organisation)
    quiet.save(update_fields=["ended_on", "updated_at"])
    refresh_plan(quiet.plan)
    audit(
        "outreach.quiet_period.ended",
        by=by,
        person=quiet.plan.case.person,
        target=quiet,
        fields=["ended_on"],
    )
    return quiet


# -- contacts -----------------------------------------------------------------------------


def _check_contact(contact: Contact) -> None:
    """Cross-record rules a form alone cannot see: people and staff of this organisation."""
    errors: dict[str, str] = {}
    org_id = contact.organisation_id
    for name in ("staff", "second_staff"):
        user_id = getattr(contact, f"{name}_id")
        if (
            user_id
            and not Membership.objects.active()
            .filter(user_id=user_id, organisation_id=org_id, role__in=CASE_ROLES)
            .exists()
        ):
            errors[name] = _("Not a member of staff of this organisation.")
    member = contact.family_member
    if member is not None and (
        member.organisation_id != org_id or member.household_id != contact.person.household_id
    ):
        errors["family_member"] = _("Not a member of this person's household.")
    if contact.reached == Contact.Reached.NOBODY and contact.outcome in Contact.TWO_WAY_OUTCOMES:
        errors["outcome"] = _("A conversation or reply needs someone who was reached.")
    if contact.occurred_at and contact.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = _("A contact cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_contact(person: Person, *, by: Any, **fields: Any) -> Contact:
    """Log a contact or attempt with a person (or their family), audit it and move the
    person's outreach plan on."""
    contact = Contact(
        organisation_id=person.organisation_id, person=person, created_by=by, **fields
    )
    if contact.staff_id is None and getattr(by, "pk", None):
        contact.staff = by
    # The person, the organisation and the recording user are records in hand, staff are
    # checked against the organisation's memberships next, and a new code is a fresh UUID:
    # confirming each of them again cost six queries per contact.
    contact.full_clean(
        exclude=["organisation", "person", "created_by", "staff", "second_staff", "code"]
    )
    _check_contact(contact)
    contact.save()
    audit("outreach.contact.recorded", by=by, person=person, target=contact, fields=sorted(fields))
    day = contact.occurred_at.astimezone(organisation_zone(person.organisation)).date()
    refresh_plans_for(person, appended=rules.Attempt(day, contact.channel, contact.is_two_way()))
    return contact


def log_attempt(item: Cadence, *, by: Any) -> Contact:
    """One tap on Today: an unanswered attempt on the cadence's channel, now."""
    outcome, minutes = QUICK_ATTEMPT.get(item.channel, (Contact.Outcome.NO_RESPONSE, 10))
    return record_contact(
        item.plan.case.person,
        by=by,
        channel=item.channel,
        reached=Contact.Reached.NOBODY,
        outcome=outcome,
        duration_minutes=minutes,
    )


def _snapshot(contact: Contact) -> dict[str, Any]:
    """The editable values as stored (foreign keys as ids)."""
    return {name: contact.serializable_value(name) for name in CONTACT_FIELDS}


@transaction.atomic
def edit_contact(contact: Contact, *, by: Any, **changes: Any) -> Contact:
    """Change a contact, keeping its previous version."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    before = _snapshot(contact)
    for name, value in changes.items():
        setattr(contact, name, value)
    after = _snapshot(contact)
    changed = sorted(name for name in CONTACT_FIELDS if before[name] != after[name])
    if not changed:
        return contact
    contact.full_clean()
    _check_contact(contact)
    contact.save()
    ContactRevision.objects.create(
        organisation_id=contact.organisation_id,
        contact=contact,
        edited_by=by,
        previous=json.dumps(before, default=str, ensure_ascii=False),
        changed_fields=changed,
    )
    audit("outreach.contact.changed", by=by, person=contact.person, target=contact, fields=changed)
    refresh_plans_for(contact.person)
    return contact


@transaction.atomic
def delete_contact(contact: Contact, *, by: Any) -> None:
    """Remove a contact recorded in error (admins only); the audit trail keeps that it existed."""
    if (
        not Membership.objects.active()
        .filter(user=by, organisation_id=contact.organisation_id, role="admin")
        .exists()
    ):
        raise PermissionDenied
    person = contact.person
    audit("outreach.contact.deleted", by=by, person=person, target=contact, fields=CONTACT_FIELDS)
    contact.delete()
    refresh_plans_for(person)


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
    audit("outreach.stage.changed", by=by, person=person, target=change, fields=["stage"])
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
    audit(
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
        case.closed_on = organisation_today(case.organisation)
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
    audit("outreach.case.reopened", by=by, person=case.person, target=case, fields=["status"])
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
        audit(
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
        audit(
            "outreach.handover.read",
            by=by,
            person=handover.case.person,
            target=handover,
            fields=["seen_at"],
        )
    return handover


def plan_for_new_case(
    sender: Any, instance: Case, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Give each new case its plan (connected in the app config)."""
    if created and not raw:
        ensure_plan(instance)
