import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from annotated_types import MaxLen, MinLen
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import PREFECTURE_CHOICES, Role
from ibasho.audit.pagination import AuditedPagination
from ibasho.audit.services import audit_read
from ibasho.lib import limits
from ibasho.lib.schemas import Code, Day, Input, OneOf, Search, Text, line
from ibasho.people.models import Benefit, ContactDetails, Gender, Person, Phone
from ibasho.people.services import (
    CONTACT_FIELDS,
    MAX_BENEFITS,
    MAX_PHONES,
    create_person,
    save_contact_details,
)

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


class PhoneIn(Input):
    number: Annotated[str, MinLen(1), line(Phone, "number")]
    label: Annotated[str, line(Phone, "label")] = ""


class PhoneOut(Schema):
    number: str
    label: str


class BenefitIn(Input):
    kind: Annotated[str, OneOf(Benefit.Kind)]
    grade: Annotated[str, line(Benefit, "grade")] = ""
    valid_from: Day | None = None
    valid_until: Day | None = None


class BenefitOut(Schema):
    kind: str
    grade: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class ContactDetailsIn(Input):
    """The whole of a person's contact details: what is left out is emptied. A postcode fills
    the prefecture, municipality and street (the town) where they are empty."""

    postcode: Annotated[str, line(ContactDetails, "postcode")] = Field(
        "", description="seven digits, 123-4567 or 1234567"
    )
    prefecture: Annotated[str, OneOf(PREFECTURE_CHOICES, blank=True)] = ""
    municipality: Annotated[str, line(Person, "municipality")] = ""
    street: Annotated[str, line(ContactDetails, "street")] = ""
    directions: Annotated[str, Text(limits.NOTE)] = ""
    email: Annotated[str, line(ContactDetails, "email")] = ""
    line_name: Annotated[str, line(ContactDetails, "line_name")] = ""
    emergency_name: Annotated[str, line(ContactDetails, "emergency_name")] = ""
    emergency_relation: Annotated[str, line(ContactDetails, "emergency_relation")] = ""
    emergency_phone: Annotated[str, line(ContactDetails, "emergency_phone")] = ""
    medical_name: Annotated[str, line(ContactDetails, "medical_name")] = ""
    medical_phone: Annotated[str, line(ContactDetails, "medical_phone")] = ""
    phones: Annotated[list[PhoneIn], MaxLen(MAX_PHONES)] = []
    benefits: Annotated[list[BenefitIn], MaxLen(MAX_BENEFITS)] = []


class ContactDetailsOut(Schema):
    postcode: str
    prefecture: str
    municipality: str
    street: str
    directions: str
    email: str
    line_name: str
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    medical_name: str
    medical_phone: str
    phones: list[PhoneOut]
    benefits: list[BenefitOut]


def _contact_details_of(person: Person) -> dict[str, Any]:
    details = ContactDetails.objects.filter(person=person).first()
    found: dict[str, Any] = {
        name: getattr(details, name, "") if details else "" for name in CONTACT_FIELDS
    }
    return {
        **found,
        "prefecture": person.prefecture,
        "municipality": person.municipality,
        "phones": list(person.phones.all()),
        "benefits": list(person.benefits.all()),
    }


@router.get("/{code}/contact-details", response=ContactDetailsOut)
def get_contact_details(request: HttpRequest, code: Code):  # type: ignore[no-untyped-def]
    """How to reach the person (audited as a read of their record)."""
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    audit_read(request, "people.contact_details.viewed", person, person=person,
               fields=["contact_details"])  # fmt: skip
    return _contact_details_of(person)


@router.put("/{code}/contact-details", response=ContactDetailsOut)
def put_contact_details(request: HttpRequest, code: Code, payload: ContactDetailsIn):  # type: ignore[no-untyped-def]
    """Replace the person's contact details, through the same service as the web form."""
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    values = payload.dict()
    save_contact_details(person, by=request.user, **values)
    person.refresh_from_db()
    return _contact_details_of(person)
