"""Writes for family support: consultations, parents' health, plans and safety events."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership
from ibasho.audit.services import record_audit
from ibasho.families.models import SafetyEvent
from ibasho.lib import limits
from ibasho.notifications import kinds
from ibasho.notifications.services import notify
from ibasho.outreach.models import Contact
from ibasho.outreach.services import record_contact
from ibasho.people.choices import refuse_if_gone
from ibasho.people.models import FamilyMember, Person

SAFETY_EVENT_RAISED = kinds.register(
    "safety_event", gettext_lazy("A safety event was recorded")
).key


def record_family_consultation(
    person: Person,
    *,
    family_member: FamilyMember,
    by: Any,
    occurred_at: dt.datetime,
    duration_minutes: int,
    direction: str = Contact.Direction.INCOMING,
    note: str = "",
    next_step: str = "",
) -> Contact:
    """A consultation with a family member: a contact that counts as family-support time."""
    if person.household_id is None or family_member.household_id != person.household_id:
        raise ValidationError(
            {"family_member": _("This family member is not in the person's household.")}
        )
    refuse_if_gone(family_member, timezone.localtime(occurred_at).date())
    return record_contact(
        person,
        by=by,
        occurred_at=occurred_at,
        channel=Contact.Channel.FAMILY_CONSULTATION,
        reached=Contact.Reached.FAMILY,
        family_member=family_member,
        direction=direction,
        outcome=Contact.Outcome.FAMILY_ONLY,
        duration_minutes=duration_minutes,
        note=note,
        next_step=next_step,
    )


@transaction.atomic
def update_health(
    member: FamilyMember, *, health: str, by: Any, since: dt.date | None = None
) -> FamilyMember:
    """Record a change in a family member's health or care. The date it changed decides whether
    the household goes to the top of the risk board, so it defaults to today."""
    if health not in FamilyMember.Health.values:
        raise ValidationError({"health": _("Unknown health status.")})
    since = since or member.organisation.today()
    limits.validate(since=(limits.past_day, since))
    changed = [
        name
        for name, value in (("health", health), ("health_changed_on", since))
        if getattr(member, name) != value
    ]
    member.health, member.health_changed_on = health, since
    member.save(update_fields=["health", "health_changed_on", "updated_at"])
    record_audit(
        "people.family_member.changed",
        by=by,
        target=member,
        fields=changed,
    )
    return member


@transaction.atomic
def raise_safety_event(
    person: Person,
    *,
    kind: str,
    severity: int,
    by: Any,
    source: str = "manual",
    description: str = "",
) -> SafetyEvent:
    """Record a safety event. It stays open, at the top of the person's page and on every
    coordinator's Today page, until it is followed up; every coordinator and admin is told at
    once in their inbox (and by e-mail, if they chose it). An event of immediate danger must
    say what happened. `by` may be None when the system raises it (e.g. from a questionnaire
    answer)."""
    if kind not in SafetyEvent.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of safety event.")})
    if severity not in SafetyEvent.Severity.values:
        raise ValidationError({"severity": _("Choose how urgent it is.")})
    limits.validate(description=(limits.check_text, description))
    if severity == SafetyEvent.Severity.IMMEDIATE and not description.strip():
        raise ValidationError({"description": _("Say what happened: the danger is immediate.")})
    event = SafetyEvent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=kind,
        severity=severity,
        source=source[:40],
        description=description,
        raised_by=by if getattr(by, "pk", None) else None,
    )
    record_audit(
        "families.safety_event.raised",
        by=by,
        target=event,
        person=person,
        fields=["kind", "severity", "source"],
    )
    supervisors = Membership.objects.staff_of(person.organisation_id, SUPERVISOR_ROLES)
    if getattr(by, "pk", None):
        supervisors = supervisors.exclude(user_id=by.pk)
    # The subject names the urgency, never the person; the link leads through the guard.
    notify(
        list(supervisors),
        SAFETY_EVENT_RAISED,
        subject=_("Safety event: %(kind)s (%(severity)s)")
        % {"kind": event.get_kind_display(), "severity": event.get_severity_display()},
        body=description,
        link=reverse("people:person_detail", args=[person.code]),
        organisation=person.organisation,
    )
    return event


def raise_from_safety_flag(person: Person, *, reason: str) -> SafetyEvent:
    """A questionnaire answer that calls for a safety check (PHQ-9 item 9 above 0) becomes a
    safety event of the highest severity, raised by the system rather than a member of staff."""
    return raise_safety_event(
        person,
        kind=SafetyEvent.Kind.SUICIDE_RISK,
        severity=SafetyEvent.Severity.IMMEDIATE,
        by=None,
        source=reason or "questionnaire",
        description=_("A questionnaire answer calls for a safety check (%(reason)s).")
        % {"reason": reason or _("questionnaire")},
    )


@transaction.atomic
def acknowledge_safety_event(event: SafetyEvent, *, by: Any) -> SafetyEvent:
    """A coordinator confirms they have seen the event and taken charge of it."""
    if event.acknowledged_at is None:
        event.acknowledged_at, event.acknowledged_by = timezone.now(), by
        event.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        record_audit(
            "families.safety_event.acknowledged",
            by=by,
            target=event,
            person=event.person,
            fields=["acknowledged_at"],
        )
    return event


@transaction.atomic
def resolve_safety_event(event: SafetyEvent, *, by: Any, resolution: str) -> SafetyEvent:
    """Mark the event followed up: who, when and what was done (audited). Its banners go.
    A coordinator or admin may follow up an event nobody has acknowledged yet (doing so
    acknowledges it); anyone else waits for a coordinator to take charge first."""
    supervisor = Membership.objects.holds(by, event.organisation_id, SUPERVISOR_ROLES)
    if event.acknowledged_at is None and not supervisor:
        raise ValidationError(_("A coordinator must acknowledge this event before it is resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what was done.")})
    limits.validate(resolution=(limits.check_text, resolution))
    if event.resolved_at is None:
        if event.acknowledged_at is None:
            acknowledge_safety_event(event, by=by)
        event.resolved_at, event.resolved_by, event.resolution = timezone.now(), by, resolution
        event.save(update_fields=["resolved_at", "resolved_by", "resolution", "updated_at"])
        record_audit(
            "families.safety_event.resolved",
            by=by,
            target=event,
            person=event.person,
            fields=["resolved_at", "resolution"],
        )
    return event
