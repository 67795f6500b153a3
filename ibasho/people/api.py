import datetime as dt
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.audit.pagination import AuditedPagination
from ibasho.audit.services import audit_read
from ibasho.outreach.api import PersonOutreachOut, person_outreach
from ibasho.people.forms import PersonForm
from ibasho.people.models import Person
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


class PersonIn(Schema):
    family_name: str = Field(min_length=1, max_length=50)
    given_name: str = Field("", max_length=50)
    family_name_kana: str = Field(min_length=1, max_length=50)
    given_name_kana: str = Field("", max_length=50)
    preferred_name: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    gender: str = "not_stated"
    prefecture: str = ""
    municipality: str = ""
    living_situation: str = "unknown"
    referral_source: str = ""


@router.get("", response=list[PersonOut])
@paginate(AuditedPagination, audit="people.person_list.viewed")
def list_people(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    return Person.objects.visible_to(membership).search(q)


@router.get("/{code}", response=PersonDetailOut)
def read_person(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "people.person.viewed", person, person=person)
    return person


@router.post("", response={201: PersonOut, 422: dict})
def create(request: HttpRequest, payload: PersonIn):  # type: ignore[no-untyped-def]
    """Validated by the same form as the web page, so the rules cannot drift apart."""
    membership = member_or_404(request)
    form = PersonForm(payload.dict(), organisation=membership.organisation)
    if not form.is_valid():
        errors = [
            {"field": name, "reason": " ".join(str(m) for m in messages)}
            for name, messages in form.errors.items()
        ]
        return Status(422, {"detail": errors})
    with transaction.atomic():
        person = create_person(
            form,
            by=request.user,
            organisation=membership.organisation,
            assign=request.user if membership.role == "worker" else None,
        )
    return Status(201, person)
