import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read
from ibasho.families import board, risk, services
from ibasho.families.models import RiskSettings, SafetyEvent
from ibasho.lib.schemas import Input, OneOf, Text
from ibasho.people.models import Person

router = Router(tags=["families"])


class SignalOut(Schema):
    code: str
    severity: int
    weight: int
    label_en: str
    label_ja: str
    subject: str
    since: dt.date | None


class HouseholdRiskOut(Schema):
    household: UUID
    name: str
    score: int
    severity: int | None
    top_since: dt.date | None
    signals: list[SignalOut]


def _out(household: Any, assessed: risk.HouseholdRisk) -> dict[str, Any]:
    return {
        "household": household.code,
        "name": household.name,
        "score": assessed.score,
        "severity": assessed.severity,
        "top_since": assessed.top_since,
        "signals": assessed.signals,
    }


@router.get("/households/risk", response=list[HouseholdRiskOut])
def risk_board(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every household with a risk signal, in the coordinator board's order (coordinators and
    admins only)."""
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    today = membership.organisation.today()
    limits = RiskSettings.thresholds_for(membership.organisation_id)
    rows = board.assess_all(board.board_households(membership), today, limits)
    audit_list(request, "families.risk_board.viewed", len(rows))
    return [_out(h, r) for h, r in rows]


@router.get("/households/{code}/risk", response=HouseholdRiskOut)
def household_risk(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership = member_or_404(request)
    household = get_object_or_404(
        board.board_households(membership, open_cases_only=False), code=code
    )
    today = membership.organisation.today()
    limits = RiskSettings.thresholds_for(membership.organisation_id)
    audit_read(request, "families.household_risk.viewed", household)
    return _out(household, risk.assess(board.facts_for(household, today), today, limits))


class SafetyEventIn(Input):
    kind: Annotated[str, OneOf(SafetyEvent.Kind)]
    severity: int
    description: Annotated[str, Text()] = ""


class FollowUpIn(Input):
    resolution: Annotated[str, Text()]


class SafetyEventOut(Schema):
    code: UUID
    person: UUID
    kind: str
    severity: int
    description: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_person(obj: SafetyEvent) -> UUID:
        return obj.person.code


@router.post("/people/{code}/safety-events", response={201: SafetyEventOut})
def raise_safety_event(request: HttpRequest, code: UUID, payload: SafetyEventIn):  # type: ignore[no-untyped-def]
    """Record a safety event about a person; the coordinators are told at once. "description"
    (what happened) is required when the severity is 3 (immediate danger)."""
    person = get_object_or_404(Person.objects.visible_to(member_or_404(request)), code=code)
    event = services.raise_safety_event(person, by=request.user, **payload.dict())
    return Status(201, event)


@router.post("/safety-events/{code}/follow-up", response={200: SafetyEventOut})
def follow_up_safety_event(request: HttpRequest, code: UUID, payload: FollowUpIn):  # type: ignore[no-untyped-def]
    """Mark a safety event followed up, saying what was done."""
    membership = member_or_404(request)
    event = get_object_or_404(
        SafetyEvent.objects.visible_to(membership).select_related("person"), code=code
    )
    audit_read(request, "families.safety_event.viewed", event, person=event.person)
    return Status(200, services.resolve_safety_event(event, by=request.user, **payload.dict()))
