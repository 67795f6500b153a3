"""The Kato, Kanba & Teo (2020) classification of pathological social withdrawal.

Kato TA, Kanba S, Teo AR. Defining pathological social withdrawal: proposed diagnostic criteria
for hikikomori. World Psychiatry 2020;19(1):116-117. Pure: no Django, no database.

The paper leaves some edges open; the choices made here are listed in docs/decisions-outcomes.md:
- days out per week is a whole number 0-7 (the form asks for whole days);
- "rarely leaves one room" means severe and cannot go with going out on 2 or more days a week
  (such an answer is rejected as contradictory rather than silently resolved);
- pre-hikikomori (3 to under 6 months) does not require impairment or distress, because the
  developers note distress is often absent early on;
- 6 months or more without impairment or distress is "not hikikomori" (criterion c unmet), with
  the reason kept so the worker sees why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SOURCE = "Kato TA, Kanba S, Teo AR. World Psychiatry 2020;19(1):116-117. doi:10.1002/wps.20705"
VERSION = "kato-2020"

NOT_HIKIKOMORI_DAYS = 4  # going out on this many days a week or more does not meet the criteria
MILD_MIN_DAYS = 2  # 2-3 days a week is mild; 0-1 is moderate
HIKIKOMORI_MONTHS = 6
PRE_HIKIKOMORI_MONTHS = 3


class Status(StrEnum):
    HIKIKOMORI = "hikikomori"
    PRE_HIKIKOMORI = "pre_hikikomori"
    NOT_HIKIKOMORI = "not_hikikomori"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Reason(StrEnum):
    GOES_OUT_OFTEN = "goes_out_often"  # 4 or more days a week
    TOO_SHORT = "too_short"  # under 3 months
    NO_IMPAIRMENT = "no_impairment"  # 6 months or more but no impairment or distress
    MEETS_CRITERIA = "meets_criteria"
    PRE_DURATION = "pre_duration"  # 3 to under 6 months


class KatoInputError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True)
class KatoAnswers:
    days_out_per_week: int
    rarely_leaves_room: bool
    continuous_months: int
    impairment_or_distress: bool


@dataclass(frozen=True)
class KatoResult:
    status: Status
    severity: Severity | None
    reason: Reason
    version: str = VERSION


def going_out_severity(days_out_per_week: int, rarely_leaves_room: bool) -> Severity | None:
    """Severity from the going-out pattern alone; None when the person goes out 4+ days a week."""
    if rarely_leaves_room:
        return Severity.SEVERE
    if days_out_per_week >= NOT_HIKIKOMORI_DAYS:
        return None
    if days_out_per_week >= MILD_MIN_DAYS:
        return Severity.MILD
    return Severity.MODERATE


def classify(answers: KatoAnswers) -> KatoResult:
    validate(answers)
    severity = going_out_severity(answers.days_out_per_week, answers.rarely_leaves_room)
    if severity is None:
        return KatoResult(Status.NOT_HIKIKOMORI, None, Reason.GOES_OUT_OFTEN)
    months = answers.continuous_months
    if months < PRE_HIKIKOMORI_MONTHS:
        return KatoResult(Status.NOT_HIKIKOMORI, None, Reason.TOO_SHORT)
    if months < HIKIKOMORI_MONTHS:
        return KatoResult(Status.PRE_HIKIKOMORI, severity, Reason.PRE_DURATION)
    if not answers.impairment_or_distress:
        return KatoResult(Status.NOT_HIKIKOMORI, None, Reason.NO_IMPAIRMENT)
    return KatoResult(Status.HIKIKOMORI, severity, Reason.MEETS_CRITERIA)


def validate(answers: KatoAnswers) -> None:
    days = answers.days_out_per_week
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 7:
        raise KatoInputError("days_out_per_week", "must be a whole number from 0 to 7")
    months = answers.continuous_months
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= 1200:
        raise KatoInputError("continuous_months", "must be a whole number from 0 to 1200")
    if answers.rarely_leaves_room and days >= MILD_MIN_DAYS:
        raise KatoInputError(
            "rarely_leaves_room",
            "cannot be true when the person goes out on 2 or more days a week",
        )
