"""Bookings: a visit or a call planned for a date and time."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership
from ibasho.audit.services import record_audit
from ibasho.lib import limits
from ibasho.lib.suspensions import refuse_if_suspended
from ibasho.outreach.models import Booking
from ibasho.people.models import LOGGED_CHANNELS, Case, Person

# A booking is for the coming year; an hour in the past is accepted so that a visit booked on
# the doorstep, a little late, still counts.
BOOKING_HORIZON = dt.timedelta(days=366)
BOOKING_GRACE = dt.timedelta(hours=1)


@transaction.atomic
def book(
    person: Person, *, worker: Any, starts_at: dt.datetime, channel: str, note: str, by: Any
) -> Booking:
    refuse_if_suspended(person)  # nothing new is planned for a suspended record either
    errors: dict[str, str] = {}
    now = timezone.now()
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, person.organisation.zone)
    if starts_at < now - BOOKING_GRACE:
        errors["starts_at"] = _("A booking is for a time still to come.")
    elif starts_at > now + BOOKING_HORIZON:
        errors["starts_at"] = _("A booking is for the coming year at most.")
    if channel not in {value for value, _label in LOGGED_CHANNELS}:
        errors["channel"] = _("Unknown channel.")
    if not Membership.objects.holds(worker, person.organisation_id):
        errors["worker"] = _("Not a member of staff of this organisation.")
    if not person.cases.filter(status=Case.Status.OPEN).exists():
        errors["person"] = _("Only a person with an open case can be booked.")
    try:
        limits.check_text(note)
    except ValidationError as refusal:
        errors["note"] = refusal.messages[0]
    if errors:
        raise ValidationError(errors)
    booking = Booking.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        worker=worker,
        starts_at=starts_at,
        channel=channel,
        note=note,
        created_by=by,
    )
    record_audit(
        "outreach.booking.made",
        by=by,
        person=person,
        target=booking,
        fields=["starts_at", "channel", "worker"] + (["note"] if note else []),
    )
    return booking


@transaction.atomic
def cancel_booking(booking: Booking, *, by: Any) -> Booking:
    if booking.cancelled_at is not None:
        raise ValidationError(_("This booking is already cancelled."))
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at", "updated_at"])
    record_audit(
        "outreach.booking.cancelled",
        by=by,
        person=booking.person,
        target=booking,
        fields=["cancelled_at"],
    )
    return booking
