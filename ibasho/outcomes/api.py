"""JSON API for outcomes: stateless scoring, and administrations per person."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import Role
from ibasho.audit.services import audit_read
from ibasho.outcomes import scoring, services
from ibasho.outcomes.models import Administration, Respondent, current_language
from ibasho.people.models import FamilyMember, Person

router = Router(tags=["outcomes"])

AnswersIn = list[int | None] | dict[str, int | None]


class ScoreIn(Schema):
    answers: AnswersIn
    band_set: str | None = None


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


class AdministrationIn(Schema):
    instrument: str
    administered_on: dt.date
    respondent: str = Respondent.SELF.value
    answers: AnswersIn
    family_member: UUID | None = None
    band_set: str | None = None


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


def _errors(*pairs: tuple[str, str]) -> Status:
    return Status(422, {"detail": [{"field": field, "reason": reason} for field, reason in pairs]})


def _answer_errors(error: scoring.AnswerError) -> Status:
    return _errors(
        *(
            (f"answers.{issue.item}" if issue.item else "answers", issue.message)
            for issue in error.issues
        )
    )


def _definition(request: HttpRequest, code: str) -> scoring.Definition | None:
    # Scoring stores nothing, so every role may use it, analysts included.
    organisation = member_or_404(request, *Role.values).organisation
    return services.available_instruments(organisation).get(code)


def _band_set_error(definition: scoring.Definition, band_set: str | None) -> str | None:
    keys = [b.key for b in definition.band_sets]
    if band_set is None or band_set in keys:
        return None
    return f"unknown cut-off set {band_set!r}; choose one of {', '.join(keys)}"


@router.post("/instruments/{code}/score", response={200: ScoreOut, 422: dict})
def score_answers(request: HttpRequest, code: str, payload: ScoreIn):  # type: ignore[no-untyped-def]
    """Score answers without storing anything (for integrations and checks)."""
    definition = _definition(request, code)
    if definition is None:
        return _errors(("code", f"unknown instrument {code!r}"))
    if reason := _band_set_error(definition, payload.band_set):
        return _errors(("band_set", reason))
    try:
        result = scoring.score(definition, payload.answers, band_set=payload.band_set)
    except scoring.AnswerError as error:
        return _answer_errors(error)
    return Status(200, result.as_dict(current_language()))


def _person(request: HttpRequest, code: UUID) -> Person:
    return get_object_or_404(Person.objects.visible_to(member_or_404(request)), code=code)


@router.get("/people/{code}/administrations", response=list[AdministrationOut])
def list_administrations(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    person = _person(request, code)
    audit_read(request, "outcomes.administration.listed", person, person=person)
    return person.administrations.select_related("family_member").order_by("administered_on", "id")


@router.post("/people/{code}/administrations", response={201: AdministrationOut, 422: dict})
def create_administration(request: HttpRequest, code: UUID, payload: AdministrationIn):  # type: ignore[no-untyped-def]
    person = _person(request, code)
    definition = _definition(request, payload.instrument)
    if definition is None:
        return _errors(("instrument", f"unknown instrument {payload.instrument!r}"))
    if payload.respondent not in Respondent.values:
        return _errors(("respondent", f"must be one of {', '.join(Respondent.values)}"))
    if reason := _band_set_error(definition, payload.band_set):
        return _errors(("band_set", reason))
    member = None
    if payload.family_member:
        members = FamilyMember.objects.filter(organisation=person.organisation,
                                              household__people=person)  # fmt: skip
        member = members.filter(code=payload.family_member).first()
        if member is None:
            return _errors(("family_member", "not a member of this person's household"))
    if payload.administered_on > timezone.localdate():
        return _errors(("administered_on", "is in the future"))
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
        return _answer_errors(error)
    return Status(201, administration)
