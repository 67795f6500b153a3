"""Support meetings in the API, with the rules of the pages: every endpoint finds its meeting
through `access` (members only; anyone else 404) and writes through `services`."""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import CASE_ROLES, SUPERVISOR_ROLES, Membership, Organisation
from ibasho.audit.services import audit_list, audit_read, record_audit
from ibasho.lib.schemas import Code, Day, Input, OneOf, line
from ibasho.meetings import access, services
from ibasho.meetings.models import Law, MeetingMember, SharedPerson, SupportMeeting
from ibasho.people.models import Person
from ibasho.provisions.items import ItemGroup
from ibasho.provisions.models import Basis

router = Router(tags=["support meetings"])


class MeetingIn(Input):
    title: Annotated[str, line(SupportMeeting, "title")]
    held_on: Day
    law: Annotated[str, OneOf(Law)]
    organisations: list[Code] = []


class MemberOut(Schema):
    membership: UUID
    name: str
    organisation: str
    acknowledged_at: dt.datetime | None


class MeetingSharedOut(Schema):
    code: UUID
    person: UUID
    name: str
    organisation: str
    items: list[ItemGroup]
    basis: str
    shared: list[dict[str, Any]] | None = None


class MeetingOut(Schema):
    code: UUID
    title: str
    held_on: dt.date
    law: Law
    withdrawn: bool
    organisations: list[str]
    members: list[MemberOut]
    acknowledged: bool
    # Empty until the caller acknowledged the duty of confidentiality.
    people: list[MeetingSharedOut]
    minutes: str


class MeetingRow(Schema):
    code: UUID
    title: str
    held_on: dt.date
    law: Law
    withdrawn: bool


class OrganisationIn(Input):
    organisation: Code


class MemberIn(Input):
    membership: Code


class MeetingPersonIn(Input):
    person: Code


class ShareIn(Input):
    items: list[Annotated[str, OneOf(ItemGroup)]]
    basis: Annotated[str, OneOf(Basis, blank=True)] = ""


def _seat(request: HttpRequest, code: UUID) -> access.Seat:
    membership = member_or_404(request)
    try:
        return access.meeting_for(membership, code)
    except Http404:
        raise HttpError(404, "Not found") from None


def _shared(entry: SharedPerson, *, with_snapshot: bool) -> dict[str, Any]:
    return {
        "code": entry.code,
        "person": entry.person.code,
        "name": entry.person.full_name,
        "organisation": entry.person.organisation.name,
        "items": entry.items,
        "basis": entry.basis,
        "shared": entry.snapshot if with_snapshot else None,
    }


def _out(request: HttpRequest, seat: access.Seat) -> dict[str, Any]:
    meeting = seat.meeting
    members = MeetingMember.unscoped.filter(meeting=meeting).select_related(
        "membership__user", "membership__organisation"
    )
    people: list[dict[str, Any]] = []
    if seat.acknowledged:
        entries = SharedPerson.unscoped.filter(meeting=meeting).select_related(
            "person__organisation"
        )
        people = [_shared(e, with_snapshot=False) for e in entries]
        for entry in entries:
            if entry.organisation_id != seat.membership.organisation_id:
                record_audit(
                    "meetings.meeting.viewed", by=seat.membership.user,
                    organisation=entry.person.organisation, target=entry, person=entry.person,
                )  # fmt: skip
    audit_read(request, "meetings.meeting.viewed", meeting, count=len(people))
    return {
        **_row(meeting),
        "organisations": access.organisation_names(meeting),
        "members": [
            {
                "membership": m.membership.code,
                "name": str(m.membership.user),
                "organisation": m.membership.organisation.name,
                "acknowledged_at": m.acknowledged_at,
            }
            for m in members
        ],
        "acknowledged": seat.acknowledged,
        "people": people,
        "minutes": meeting.minutes if seat.acknowledged else "",
    }


def _row(meeting: SupportMeeting) -> dict[str, Any]:
    return {
        "code": meeting.code,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "law": meeting.law,
        "withdrawn": meeting.is_withdrawn,
    }


@router.get("", response=list[MeetingRow])
def meetings(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The support meetings the caller takes part in."""
    membership = member_or_404(request)
    found = access.meetings_of(membership)
    audit_list(request, "meetings.list.viewed", 0)
    return [_row(m) for m in found]


@router.post("", response={201: MeetingOut})
def create(request: HttpRequest, body: MeetingIn):  # type: ignore[no-untyped-def]
    """Convene a meeting (coordinators and admins); the caller is its first member."""
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    organisations = list(Organisation.objects.filter(code__in=body.organisations))
    if len(organisations) != len(set(body.organisations)):
        raise ValidationError({"organisations": "Unknown organisation."})
    meeting = services.create_meeting(
        membership, title=body.title, held_on=body.held_on, law=body.law,
        organisations=organisations,
    )  # fmt: skip
    return Status(201, _out(request, access.meeting_for(membership, meeting.code)))


@router.get("/{code}", response=MeetingOut)
def meeting(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """A meeting the caller takes part in; the people discussed once they acknowledged."""
    return _out(request, _seat(request, code))


@router.post("/{code}/acknowledge", response=MeetingOut)
def acknowledge(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """The caller acknowledges the duty of confidentiality."""
    seat = _seat(request, code)
    services.acknowledge(seat)
    return _out(request, access.seat(seat.membership, seat.meeting))


@router.post("/{code}/organisations", response=MeetingOut)
def add_organisation(request: HttpRequest, code: UUID, body: OrganisationIn):  # type: ignore[no-untyped-def]
    seat = _seat(request, code)
    organisation = Organisation.objects.filter(code=body.organisation).first()
    if organisation is None:
        raise ValidationError({"organisation": "Unknown organisation."})
    services.add_organisation(seat, organisation)
    return _out(request, seat)


@router.post("/{code}/members", response=MeetingOut)
def add_member(request: HttpRequest, code: UUID, body: MemberIn):  # type: ignore[no-untyped-def]
    seat = _seat(request, code)
    membership = Membership.objects.filter(
        code=body.membership,
        organisation_id__in=access.organisation_ids(seat.meeting),
        role__in=CASE_ROLES,
    ).first()
    if membership is None:
        raise ValidationError({"membership": "Unknown member of staff."})
    services.add_member(seat, membership)
    return _out(request, seat)


@router.post("/{code}/people", response={201: MeetingSharedOut})
def bring(request: HttpRequest, code: UUID, body: MeetingPersonIn):  # type: ignore[no-untyped-def]
    """Bring a person of the caller's organisation to the meeting."""
    seat = _seat(request, code)
    person = Person.objects.visible_to(seat.membership).filter(code=body.person).first()
    if person is None:
        raise ValidationError({"person": "Unknown person."})
    entry = services.bring_person(seat, person)
    return Status(201, _shared(entry, with_snapshot=True))


def _entry(request: HttpRequest, code: UUID) -> tuple[access.Seat, SharedPerson]:
    membership = member_or_404(request)
    try:
        return access.shared_for(membership, code)
    except Http404:
        raise HttpError(404, "Not found") from None


@router.get("/shared/{code}", response=MeetingSharedOut)
def shared(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """What was shared about one person, for the meeting's purpose only (members who
    acknowledged the duty of confidentiality; others 404). Every read is audited."""
    seat, entry = _entry(request, code)
    if not seat.acknowledged:
        raise HttpError(404, "Not found")
    audit_read(request, "meetings.shared.viewed", entry, person=entry.person)
    if entry.organisation_id != seat.membership.organisation_id:
        record_audit(
            "meetings.shared.viewed", by=seat.membership.user,
            organisation=entry.person.organisation, target=entry, person=entry.person,
        )  # fmt: skip
    return _shared(entry, with_snapshot=True)


@router.post("/shared/{code}/share", response=MeetingSharedOut)
def share(request: HttpRequest, code: UUID, body: ShareIn):  # type: ignore[no-untyped-def]
    """Share item groups about a person of the caller's organisation with the meeting."""
    seat, entry = _entry(request, code)
    if entry.person.organisation_id != seat.membership.organisation_id:
        raise HttpError(404, "Not found")
    entry = services.share(seat, entry, items=body.items, basis=body.basis or None)
    return _shared(entry, with_snapshot=True)
