"""JSON API for outcomes: stateless scoring, and administrations per person."""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import Role
from ibasho.audit.services import audit_read
from ibasho.lib.schemas import Code, Day, Input, OneOf, Text
from ibasho.outcomes import scoring, services
from ibasho.outcomes.models import Administration, Respondent, current_language
from ibasho.people.models import FamilyMember, Person

router = Router(tags=["outcomes"])

# Answers by position, or by item number ("1", "2", ...); an answer is a whole number or null.
# The scoring engine checks each answer, so that a problem is named by its item number.
Answer = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "null"}]})]
AnswersIn = list[Answer] | dict[Annotated[str, Text(10, lines=False)], Answer]
Key = Annotated[str, Text(40, lines=False)]


class ScoreIn(Input):
    answers: AnswersIn
    band_set: Key | None = None


class ScoreOut(Schema):
    instrument: str
    version: str
    total: int
    band: str
    band_label: str
    concern: bool
    band_set: str
    band_set_version: str
    flags: list[str]
    safety: bool
    prorated: bool


class AdministrationIn(Input):
    instrument: Key
    administered_on: Day = Field(description="from 1 January of the earliest record year to today")
    respondent: Annotated[str, OneOf(Respondent)] = Respondent.SELF.value
    answers: AnswersIn
    family_member: Code | None = None
    band_set: Key | None = None


class AdministrationOut(Schema):
    code: UUID
    instrument: str
    instrument_version: str
    administered_on: dt.date
    respondent: str
    family_member: UUID | None
    answers: list[int | None]
    total: int
    band: str
    band_set: str
    band_set_version: str
    flags: list[str]
    safety: bool

    @staticmethod
    def resolve_family_member(obj: Administration) -> UUID | None:
        return obj.family_member.code if obj.family_member else None


def _answer_problems(error: scoring.AnswerError) -> ValidationError:
    return ValidationError(
        {
            (f"answers.{issue.item}" if issue.item else "answers"): issue.message
            for issue in error.issues
        }
    )


def _definition(request: HttpRequest, code: str) -> scoring.Definition | None:
    # Scoring stores nothing, so every role may use it, analysts included.
    organisation = member_or_404(request, *Role.values).organisation
    return services.available_instruments(organisation).get(code)


def _check_band_set(definition: scoring.Definition, band_set: str | None) -> None:
    keys = [b.key for b in definition.band_sets]
    if band_set is not None and band_set not in keys:
        raise ValidationError({"band_set": f"unknown cut-off set; choose one of {', '.join(keys)}"})


@router.post("/instruments/{code}/score", response={200: ScoreOut})
def score_answers(request: HttpRequest, code: str, payload: ScoreIn):  # type: ignore[no-untyped-def]
    """Score answers without storing anything (for integrations and checks)."""
    definition = _definition(request, code)
    if definition is None:
        raise ValidationError({"code": "unknown instrument"})
    _check_band_set(definition, payload.band_set)
    try:
        result = scoring.score(definition, payload.answers, band_set=payload.band_set)
    except scoring.AnswerError as error:
        raise _answer_problems(error) from None
    return Status(200, result.as_dict(current_language()))


def _person(request: HttpRequest, code: UUID) -> Person:
    return get_object_or_404(Person.objects.visible_to(member_or_404(request)), code=code)


@router.get("/people/{code}/administrations", response=list[AdministrationOut])
def list_administrations(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    person = _person(request, code)
    audit_read(request, "outcomes.administration.listed", person, person=person)
    return person.administrations.select_related("family_member").order_by("administered_on", "id")


@router.post("/people/{code}/administrations", response={201: AdministrationOut})
def create_administration(request: HttpRequest, code: UUID, payload: AdministrationIn):  # type: ignore[no-untyped-def]
    person = _person(request, code)
    definition = _definition(request, payload.instrument)
    if definition is None:
        raise ValidationError({"instrument": "unknown instrument"})
    _check_band_set(definition, payload.band_set)
    member = None
    if payload.family_member:
        member = FamilyMember.objects.filter(
            organisation=person.organisation, code=payload.family_member
        ).first()
        if member is None:
            raise ValidationError({"family_member": "No such family member."})
    try:
        administration = services.record_administration(
            person,
            definition=definition,
            answers=payload.answers,
            administered_on=payload.administered_on,
            respondent=payload.respondent,
            family_member=member,
            band_set=payload.band_set,
            by=request.user,
        )
    except scoring.AnswerError as error:
        raise _answer_problems(error) from None
    return Status(201, administration)
