"""Outreach plans, their cadences and quiet periods. Every write ends in `refresh_plan`, so
the stored due dates are always those a full replay of the history would give."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership
from ibasho.audit.services import record_audit
from ibasho.lib.bulk import update_fields
from ibasho.outreach import cadence as rules
from ibasho.outreach.models import (
    QUIET_LONGEST_DAYS,
    Cadence,
    OutreachPlan,
    OutreachSettings,
    QuietPeriod,
)
from ibasho.outreach.services.reads import History, people_histories, person_history
from ibasho.people.models import LOGGED_CHANNELS, Case, Person

# People whose plans are read and written together.
BATCH = 500


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


def ensure_plans(cases: list[Case]) -> None:
    """`ensure_plan` for many new cases of one organisation (an imported name list): the plans
    and first cadences written in bulk, then replayed together."""
    if not cases:
        return
    have = set(OutreachPlan.objects.filter(case__in=cases).values_list("case_id", flat=True))
    cases = [case for case in cases if case.pk not in have]
    if not cases:
        return
    config = OutreachSettings.for_organisation(cases[0].organisation)
    plans = OutreachPlan.objects.bulk_create(
        [
            OutreachPlan(
                organisation_id=case.organisation_id,
                case=case,
                backoff_factor=config.backoff_factor,
                backoff_ceiling_days=config.backoff_ceiling_days,
            )
            for case in cases
        ]
    )
    Cadence.objects.bulk_create(
        [
            Cadence(
                organisation_id=case.organisation_id,
                plan=plan,
                channel=config.default_channel,
                every_days=config.default_every_days,
                starts_on=case.opened_on,
            )
            for case, plan in zip(cases, plans, strict=True)
        ]
    )
    refresh_plans_of([case.person for case in cases])


def current_quiet(
    plan: OutreachPlan, today: dt.date, quiets: list[QuietPeriod] | None = None
) -> QuietPeriod | None:
    """The quiet period in force or agreed for the future (the latest one recorded).
    `quiets` are the plan's quiet periods when the caller has read them already."""
    for quiet in plan.quiet_periods.all() if quiets is None else quiets:
        if quiet.effective_until > today:
            return quiet
    return None


def refresh_plan(plan: OutreachPlan) -> None:
    """Recompute a plan's due dates by replaying the person's history, with its row locked."""
    with transaction.atomic(savepoint=False):
        if connection.features.has_select_for_update:
            OutreachPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
        _recompute(plan, person_history(plan.case.person))


def refresh_plans_for(person: Person, *, appended: rules.Attempt | None = None) -> None:
    """Recompute the plans of every case of the person after their contacts changed. The plan
    rows are locked before the stored state is read (`of=self`: the case, person and
    organisation joined in stay free), in a fixed order: two contacts recorded at once for one
    person take turns instead of both moving the same stored state on by one."""
    with transaction.atomic(savepoint=False):
        plans = list(
            OutreachPlan.objects.filter(case__person=person)
            .select_related("case__organisation", "case__person")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        history = None
        for plan in plans:
            if appended is not None and comes_last(plan, appended):
                _recompute(plan, appended)
            else:
                history = history or person_history(person)
                _recompute(plan, history)


def refresh_plans_of(people: list[Person]) -> None:
    """`refresh_plans_for` for many people at once (an imported history): each plan replayed
    from its person's whole history, read with the plans, cadences and quiet periods in a few
    queries per batch, and the new states written with two bulk updates."""
    with transaction.atomic(savepoint=False):
        for start in range(0, len(people), BATCH):
            batch = people[start : start + BATCH]
            # The people are in hand: reading them again with their plans would decrypt
            # their records for nothing (the replay needs their ids only).
            plans = list(
                OutreachPlan.objects.filter(case__person__in=batch)
                .select_related("case__organisation")
                .select_for_update(of=("self",))
                .order_by("pk")
            )
            # Each plan's cadences and quiet periods, read in one query each and grouped
            # here (`prefetch_related` builds a queryset per plan to hand them over).
            plan_cadences: dict[int, list[Cadence]] = {plan.pk: [] for plan in plans}
            for item in Cadence.objects.filter(plan__in=plans):
                plan_cadences[item.plan_id].append(item)
            plan_quiets: dict[int, list[QuietPeriod]] = {plan.pk: [] for plan in plans}
            for quiet in QuietPeriod.objects.filter(plan__in=plans):
                plan_quiets[quiet.plan_id].append(quiet)
            histories = people_histories(batch)
            cadences: list[Cadence] = []
            for plan in plans:
                cadences += _recomputed(
                    plan,
                    histories[plan.case.person_id],
                    cadences=plan_cadences[plan.pk],
                    quiets=plan_quiets[plan.pk],
                )
            update_fields(Cadence, cadences, ["last_on", "unanswered", "next_due_on"])
            now = timezone.now()
            for plan in plans:
                plan.updated_at = now
            update_fields(
                OutreachPlan,
                plans,
                ["last_contact_on", "last_two_way_on", "next_due_on", "updated_at"],
            )


def _recompute(plan: OutreachPlan, source: History | rules.Attempt) -> None:
    cadences = _recomputed(plan, source)
    Cadence.objects.bulk_update(cadences, ["last_on", "unanswered", "next_due_on"])
    plan.save(update_fields=["last_contact_on", "last_two_way_on", "next_due_on", "updated_at"])


def _recomputed(
    plan: OutreachPlan,
    source: History | rules.Attempt,
    *,
    cadences: list[Cadence] | None = None,
    quiets: list[QuietPeriod] | None = None,
) -> list[Cadence]:
    """Recompute each cadence's backoff state and due date and the plan's summary dates: from
    the stored state moved on by one attempt when the contact comes after every other one,
    else by replaying the history (back-dated, edited and withdrawn contacts replay, which
    keeps them correct). The caller holds the plan's row lock and writes what changed; it
    may pass the plan's cadences and quiet periods, read for many plans at once."""
    case = plan.case
    today = case.organisation.today()
    cadences = list(plan.cadences.all()) if cadences is None else cadences
    if isinstance(source, rules.Attempt):
        appended = source
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
        history = source
        zone = case.organisation.zone
        local = [(r.occurred_at.astimezone(zone).date(), r.two_way) for r in history.records]
        plan.last_contact_on = max((day for day, _ in local), default=None)
        plan.last_two_way_on = max((day for day, two_way in local if two_way), default=None)
        states = {
            item.pk: rules.state_from_history(item.channel, history.attempts) for item in cadences
        }
    quiet = current_quiet(plan, today, quiets)
    quiet_data = quiet.as_data() if quiet else None
    for item in cadences:
        state = states[item.pk]
        item.last_on, item.unanswered = state.last_on, state.unanswered
        item.next_due_on = (
            rules.due_on(item.as_data(), state, plan.backoff(), quiet_data).due_on
            if case.is_open
            else None
        )
    plan.next_due_on = min((c.next_due_on for c in cadences if c.next_due_on), default=None)
    return cadences


def comes_last(plan: OutreachPlan, attempt: rules.Attempt) -> bool:
    """Whether replaying the history would apply `attempt` after every stored contact (the
    replay orders by day, answered contacts last within a day)."""
    last = plan.last_contact_on
    return last is None or attempt.on > last or (attempt.on == last and attempt.answered)


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
    today = plan.organisation.today()
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
    record_audit(
        "outreach.plan.changed",
        by=by,
        person=plan.case.person,
        target=plan,
        fields=["cadences", "backoff"],
    )
    return plan


def _may_approve_quiet(by: Any, organisation_id: int) -> bool:
    return Membership.objects.holds(by, organisation_id, SUPERVISOR_ROLES)


@transaction.atomic
def start_quiet_period(
    plan: OutreachPlan,
    *,
    until: dt.date,
    continuing: list[str],
    note: str,
    by: Any,
    asked_by: str = QuietPeriod.AskedBy.PERSON,
) -> QuietPeriod:
    """Pause the outreach the person (or their family, or the worker for them) asked to pause.
    Up to the organisation's longest quiet period the pause starts at once; a longer one from
    a worker starts at once for that length and waits for a coordinator to approve the rest."""
    today = plan.organisation.today()
    if until <= today:
        raise ValidationError({"until": _("The quiet period must end after today.")})
    if (until - today).days > QUIET_LONGEST_DAYS:
        raise ValidationError(
            {
                "until": _(
                    "A quiet period lasts at most %(days)d days; a longer pause is a decision "
                    "about the case."
                )
                % {"days": QUIET_LONGEST_DAYS}
            }
        )
    if asked_by not in QuietPeriod.AskedBy.values:
        raise ValidationError({"asked_by": _("Say who asked for the pause.")})
    unknown = set(continuing) - {value for value, _label in LOGGED_CHANNELS}
    if unknown:
        raise ValidationError({"continuing_channels": _("Unknown channel.")})
    allowed = today + dt.timedelta(
        days=OutreachSettings.for_organisation(plan.organisation).quiet_max_days
    )
    approver = _may_approve_quiet(by, plan.organisation_id)
    waits = until > allowed and not approver
    for earlier in plan.quiet_periods.filter(ended_on__isnull=True, until__gt=today):
        earlier.ended_on = today
        earlier.save(update_fields=["ended_on", "updated_at"])
    quiet = QuietPeriod.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        starts_on=today,
        until=allowed if waits else until,
        requested_until=until if waits else None,
        approved_by=by if until > allowed and approver else None,
        asked_by=asked_by,
        continuing_channels=sorted(continuing),
        note=note,
        recorded_by=by,
    )
    refresh_plan(plan)
    record_audit(
        "outreach.quiet_period.started",
        by=by,
        person=plan.case.person,
        target=quiet,
        fields=["until", "continuing_channels", "asked_by"]
        + (["requested_until"] if waits else []),
    )
    return quiet


@transaction.atomic
def decide_quiet_period(quiet: QuietPeriod, *, approve: bool, by: Any) -> QuietPeriod:
    """A coordinator's decision on a pause longer than the organisation allows: approved, it
    runs to the date asked for; declined, it ends at the allowed length."""
    if not _may_approve_quiet(by, quiet.organisation_id):
        raise ValidationError(_("Only a coordinator or an administrator decides this."))
    if quiet.requested_until is None or quiet.ended_on is not None:
        raise ValidationError(_("This quiet period is not waiting for a decision."))
    if approve:
        quiet.until, quiet.approved_by = quiet.requested_until, by
    quiet.requested_until = None
    quiet.save(update_fields=["until", "requested_until", "approved_by", "updated_at"])
    refresh_plan(quiet.plan)
    record_audit(
        "outreach.quiet_period.approved" if approve else "outreach.quiet_period.declined",
        by=by,
        person=quiet.plan.case.person,
        target=quiet,
        fields=["until"] if approve else ["requested_until"],
    )
    return quiet


@transaction.atomic
def end_quiet_period(quiet: QuietPeriod, *, by: Any) -> QuietPeriod:
    quiet.ended_on = quiet.organisation.today()
    quiet.save(update_fields=["ended_on", "updated_at"])
    refresh_plan(quiet.plan)
    record_audit(
        "outreach.quiet_period.ended",
        by=by,
        person=quiet.plan.case.person,
        target=quiet,
        fields=["ended_on"],
    )
    return quiet
