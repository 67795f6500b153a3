"""Outreach endpoints: contacts, a person's contacts and the token user's queue."""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.audit.pagination import AuditedPagination
from ibasho.audit.services import audit_list, audit_read
from ibasho.lib.schemas import Code, Day, Input, Moment, OneOf, Pages, Text, line
from ibasho.outreach import services, trust
from ibasho.outreach.models import MAX_MINUTES, Cadence, Contact
from ibasho.people.models import FamilyMember, Person

router = Router(tags=["outreach"])


def local_iso(moment: dt.datetime, organisation: Any) -> str:
    """ISO 8601 in the organisation's own time zone (Asia/Tokyo unless set otherwise)."""
    return moment.astimezone(organisation.zone).isoformat()


class ContactOut(Schema):
    code: UUID
    person: UUID
    occurred_at: str
    channel: str
    reached: str
    family_member: UUID | None
    direction: str
    outcome: str
    duration_minutes: int
    two_way: bool
    note: str
    next_step: str
    staff: str | None

    @staticmethod
    def resolve_person(obj: Contact) -> UUID:
        return obj.person.code

    @staticmethod
    def resolve_occurred_at(obj: Contact) -> str:
        return local_iso(obj.occurred_at, obj.organisation)

    @staticmethod
    def resolve_family_member(obj: Contact) -> UUID | None:
        return obj.family_member.code if obj.family_member else None

    @staticmethod
    def resolve_two_way(obj: Contact) -> bool:
        return obj.is_two_way()

    @staticmethod
    def resolve_staff(obj: Contact) -> str | None:
        return str(obj.staff) if obj.staff else None


class ContactIn(Input):
    person: Code
    occurred_at: Moment | None = Field(
        None, description="with its offset; from 1 January of the earliest record year to now"
    )
    channel: Annotated[str, OneOf(Contact.Channel)]
    reached: Annotated[str, OneOf(Contact.Reached)] = Contact.Reached.NOBODY.value
    family_member: Code | None = None
    direction: Annotated[str, OneOf(Contact.Direction)] = Contact.Direction.OUTREACH.value
    outcome: Annotated[str, OneOf(Contact.Outcome)]
    duration_minutes: int = Field(0, ge=0, le=MAX_MINUTES)
    note: Annotated[str, Text()] = ""
    next_step: Annotated[str, line(Contact, "next_step")] = ""


def _contacts(membership: Any) -> Any:
    return Contact.objects.visible_to(membership).select_related(
        "person", "organisation", "family_member", "staff"
    )


@router.get("/contacts", response=list[ContactOut])
@paginate(AuditedPagination, audit="outreach.contact_list.viewed")
def list_contacts(request: HttpRequest, since: Day | None = None):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    contacts = _contacts(membership)
    if since is not None:
        contacts = contacts.filter(occurred_at__date__gte=since)
    return contacts


@router.post("/contacts", response={201: ContactOut})
def create_contact(request: HttpRequest, payload: ContactIn):  # type: ignore[no-untyped-def]
    """Record a contact; the member of staff is the token's user."""
    membership = member_or_404(request)
    person = (
        Person.objects.visible_to(membership)
        .select_related("organisation")
        .filter(code=payload.person)
        .first()
    )
    if person is None:
        raise ValidationError({"person": "No such person."})
    fields = payload.dict(exclude={"person", "family_member", "occurred_at"})
    if payload.occurred_at is not None:
        fields["occurred_at"] = payload.occurred_at
    if payload.family_member is not None:
        member = (
            FamilyMember.objects.visible_to(membership).filter(code=payload.family_member).first()
        )
        if member is None:
            raise ValidationError({"family_member": "No such family member."})
        fields["family_member"] = member
    return Status(201, services.record_contact(person, by=request.user, **fields))


@router.get("/people/{code}/contacts", response=list[ContactOut])
@paginate(Pages)
def person_contacts(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "outreach.contacts.viewed", person, person=person)
    return _contacts(membership).filter(person=person)


class QueueItem(Schema):
    cadence: UUID
    person: UUID
    person_name: str
    channel: str
    due_on: dt.date
    days_overdue: int
    unanswered: int
    things_to_avoid: str


class Queue(Schema):
    date: dt.date
    items: list[QueueItem]


@router.get("/outreach/queue", response=Queue)
def queue(request: HttpRequest, date: Day | None = None):  # type: ignore[no-untyped-def]
    """The token user's outreach due on `date` (default: today), overdue items first."""
    membership = member_or_404(request)
    day = date or membership.organisation.today()
    due = Cadence.objects.visible_to(membership).queue(request.user, day).rows()
    items = [
        {
            "cadence": item.code,
            "person": item.person.code,
            "person_name": item.person.full_name,
            "channel": item.channel,
            "due_on": item.next_due_on,
            "days_overdue": item.days_overdue(day),
            "unanswered": item.unanswered,
            "things_to_avoid": item.person.things_to_avoid,
        }
        for item in due
    ]
    audit_list(request, "outreach.queue.viewed", len({item.person.code for item in due}))
    return {"date": day, "items": items}


class TrustOut(Schema):
    two_way_hours: float
    family_hours: float
    attempts: int
    milestone_hours: int
    milestone_progress: float
    consistent_weeks: int
    consistency_weeks: int
    attempts_before_first_response: int
    responded: bool


class PersonOutreachOut(Schema):
    trust: TrustOut
    stage: str | None
    stage_since: dt.date | None
    case_status: str | None


def person_outreach(person: Person) -> dict[str, Any]:
    """Trust figures, stage and case status for the person endpoint."""
    summary = services.trust_summary(person)
    stage = person.stage_changes.first()
    cases = list(person.cases.order_by("-opened_on"))
    return {
        "trust": {
            "two_way_hours": summary.two_way_hours,
            "family_hours": summary.family_hours,
            "attempts": summary.attempts,
            "milestone_hours": trust.MILESTONE_HOURS,
            "milestone_progress": round(summary.milestone_progress, 4),
            "consistent_weeks": summary.consistent_weeks,
            "consistency_weeks": summary.consistency_weeks,
            "attempts_before_first_response": summary.first_response.attempts,
            "responded": summary.first_response.responded,
        },
        "stage": stage.stage if stage else None,
        "stage_since": stage.changed_on if stage else None,
        "case_status": cases[0].status if cases else None,
    }
