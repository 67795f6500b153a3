import datetime as dt
from typing import Annotated
from uuid import UUID

from annotated_types import MinLen
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import PREFECTURE_CHOICES, Role
from ibasho.audit.pagination import AuditedPagination
from ibasho.audit.services import audit_read
from ibasho.lib.schemas import Day, Input, OneOf, Search, line
from ibasho.outreach.api import PersonOutreachOut, person_outreach
from ibasho.people.models import Gender, Person
from ibasho.people.services import create_person

router = Router(tags=["people"])


class PersonOut(Schema):
    code: UUID
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    preferred_name: str
    birth_year: int | None
    gender: str
    municipality: str
    created_at: dt.datetime


class PersonDetailOut(PersonOut):
    outreach: PersonOutreachOut  # trust figures, stage and case status

    @staticmethod
    def resolve_outreach(obj: Person) -> dict:  # type: ignore[type-arg]
        return person_outreach(obj)


class PersonIn(Input):
    family_name: Annotated[str, MinLen(1), line(Person, "family_name")]
    given_name: Annotated[str, line(Person, "given_name")] = ""
    family_name_kana: Annotated[str, MinLen(1), line(Person, "family_name_kana")] = Field(
        description="in hiragana or katakana"
    )
    given_name_kana: Annotated[str, line(Person, "given_name_kana")] = ""
    preferred_name: Annotated[str, line(Person, "preferred_name")] = ""
    birth_date: Day | None = Field(None, description="within the last 120 years")
    birth_year: int | None = Field(None, description="within the last 120 years")
    gender: Annotated[str, OneOf(Gender)] = Gender.NOT_STATED.value
    prefecture: Annotated[str, OneOf(PREFECTURE_CHOICES, blank=True)] = ""
    municipality: Annotated[str, line(Person, "municipality")] = ""
    living_situation: Annotated[str, OneOf(Person.Living)] = Person.Living.UNKNOWN.value
    referral_source: Annotated[str, OneOf(Person.ReferralSource, blank=True)] = ""


@router.get("", response=list[PersonOut])
@paginate(AuditedPagination, audit="people.person_list.viewed")
def list_people(request: HttpRequest, q: Search = ""):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    return Person.objects.visible_to(membership).search(q)


@router.get("/{code}", response=PersonDetailOut)
def read_person(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "people.person.viewed", person, person=person)
    return person


@router.post("", response={201: PersonOut})
def create(request: HttpRequest, payload: PersonIn):  # type: ignore[no-untyped-def]
    """Register a person and open their case (assigned to the token's user if a worker); the
    same service and rules as the web form."""
    membership = member_or_404(request)
    person = create_person(
        by=request.user,
        organisation=membership.organisation,
        assign=request.user if membership.role == Role.WORKER else None,
        **payload.dict(),
    )
    return Status(201, person)
