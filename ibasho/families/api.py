import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read
from ibasho.families import board, risk
from ibasho.families.models import RiskSettings

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
