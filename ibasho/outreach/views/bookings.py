"""Booking visits and calls for a date and time, and the week ahead."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.audit.services import audit_list, audit_read
from ibasho.lib.agenda import AgendaItem, agenda
from ibasho.lib.prepared import Pending, Prepared, Slot
from ibasho.lib.urls import link_by_code
from ibasho.lib.web import confirm_page, confirmed, saved
from ibasho.outreach import services
from ibasho.outreach.forms import BookingForm, staff_of
from ibasho.outreach.models import Booking, Cadence, Contact, day_bounds
from ibasho.people.models import Person

WEEK_DAYS = 7


@member_required()
def booking_create(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "outreach.booking_form.viewed", person, person=person)
    tomorrow = membership.organisation.today() + dt.timedelta(days=1)
    form = BookingForm(
        request.POST or None,
        staff=staff_of(membership.organisation),
        initial={"day": tomorrow, "worker": request.user, "channel": "door_visit"},
    )

    def save(**data: Any) -> Booking:
        starts_at = dt.datetime.combine(data["day"], data["time"], membership.organisation.zone)
        return services.book(
            person,
            worker=data["worker"],
            starts_at=starts_at,
            channel=data["channel"],
            note=data["note"],
            by=request.user,
        )

    if saved(request, form, save, message=_("Booked.")):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/booking_form.html", {"form": form, "person": person})


@member_required()
@require_POST
def booking_cancel(request: MemberRequest, code: str) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.visible_to(request.membership).select_related("person"), code=code
    )
    week = request.POST.get("next") == "week"
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Cancel the booking"),
            question=_("Cancel this booking?"),
            button=_("Cancel the booking"),
            back=reverse("outreach:week" if week else "outreach:today"),
            keep={"next": "week"} if week else None,
        )
    try:
        services.cancel_booking(booking, by=request.user)
        messages.success(request, _("The booking was cancelled."))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    return redirect("outreach:week" if week else "outreach:today")


# Read for Today and the week on every view: compiled once (ibasho.lib.prepared).
_BOOKED = Prepared(
    Booking,
    lambda member: (
        Booking.objects.visible_to(member)
        .of_worker_from(
            member.user_id,
            Slot("start", models.DateTimeField()),
            Slot("end", models.DateTimeField()),
        )
        .select_related("person")
        # The name is all an item shows: the person's encrypted notes stay unread.
        .only(
            "code",
            "starts_at",
            "channel",
            "person__code",
            "person__family_name",
            "person__given_name",
        )
    ),
    per_member=True,
)


def booked(membership: Any, first: dt.date, last: dt.date) -> Pending:
    start, end = day_bounds(first, last, membership.organisation.zone)
    return _BOOKED.later(membership=membership, start=start, end=end)


def booked_items(
    membership: Any, first: dt.date, last: dt.date, bookings: list[Booking]
) -> list[AgendaItem]:
    """The member's bookings (`booked`) as agenda items; one is done once a contact with the
    person is logged on its day."""
    if not bookings:
        return []
    zone = membership.organisation.zone
    start, end = day_bounds(first, last, zone)
    logged = {
        (person_id, moment.astimezone(zone).date())
        for person_id, moment in Contact.objects.visible_to(membership)
        .filter(person__in={b.person_id for b in bookings}, occurred_at__range=(start, end))
        .values_list("person_id", "occurred_at")
    }
    person_url = link_by_code("people:person_detail")
    cancel_url = link_by_code("outreach:booking_cancel")
    items = []
    for booking in bookings:
        local = booking.starts_at.astimezone(zone)
        items.append(
            AgendaItem(
                day=local.date(),
                time=local.time(),
                kind=booking.get_channel_display(),
                title=booking.person.full_name,
                url=person_url(booking.person.code),
                person_code=booking.person.code,
                done=(booking.person_id, local.date()) in logged,
                cancel_url=cancel_url(booking.code),
            )
        )
    return items


@member_required()
def week(request: MemberRequest) -> HttpResponse:
    """The week ahead: what is booked each day, and how much outreach falls due."""
    membership = request.membership
    first = membership.organisation.today()
    last = first + dt.timedelta(days=WEEK_DAYS - 1)
    items = agenda(membership, first, last)
    # The worker's queue as it will stand on the last day (suspended people left out, as on
    # Today), counted by the day each item falls due.
    due = dict(
        Cadence.objects.visible_to(membership)
        .queue(request.user, last)
        .filter(next_due_on__gte=first)
        .order_by()
        .values_list("next_due_on")
        .annotate(n=Count("id"))
    )
    overdue = (
        Cadence.objects.visible_to(membership).queue(request.user, first - dt.timedelta(days=1))
    ).count()
    days = []
    for offset in range(WEEK_DAYS):
        day = first + dt.timedelta(days=offset)
        days.append(
            {"day": day, "items": [i for i in items if i.day == day], "due": due.get(day, 0)}
        )
    audit_list(request, "outreach.week.viewed", len({i.person_code for i in items} - {None}))
    return render(request, "outreach/week.html", {"days": days, "overdue": overdue})
