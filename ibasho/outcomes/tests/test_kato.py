"""The Kato et al. (2020) classification, including every boundary (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibasho.outcomes.kato import KatoAnswers, KatoInputError, Reason, Severity, Status, classify

H, PRE, NOT = Status.HIKIKOMORI, Status.PRE_HIKIKOMORI, Status.NOT_HIKIKOMORI
MILD, MOD, SEV = Severity.MILD, Severity.MODERATE, Severity.SEVERE


@pytest.mark.parametrize(
    ("days", "room", "months", "impaired", "status", "severity"),
    [
        # going out: 4 days is the boundary of "not hikikomori"
        (7, False, 24, True, NOT, None),
        (4, False, 24, True, NOT, None),
        (3, False, 24, True, H, MILD),
        (2, False, 24, True, H, MILD),
        (1, False, 24, True, H, MOD),
        (0, False, 24, True, H, MOD),
        (1, True, 24, True, H, SEV),
        (0, True, 24, True, H, SEV),
        # duration: 6 months is hikikomori, 3 to 5 is pre-hikikomori, under 3 is neither
        (0, False, 6, True, H, MOD),
        (0, False, 5, True, PRE, MOD),
        (3, False, 5, False, PRE, MILD),
        (0, True, 3, False, PRE, SEV),
        (0, False, 3, True, PRE, MOD),
        (0, False, 2, True, NOT, None),
        (0, True, 0, True, NOT, None),
        # impairment or distress is needed at 6 months or more
        (0, False, 6, False, NOT, None),
        (2, False, 120, False, NOT, None),
        # going out often wins over a long duration
        (4, False, 3, False, NOT, None),
    ],
)
def test_kato_table(days, room, months, impaired, status, severity):
    result = classify(KatoAnswers(days, room, months, impaired))
    assert (result.status, result.severity) == (status, severity)


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (KatoAnswers(5, False, 24, True), Reason.GOES_OUT_OFTEN),
        (KatoAnswers(1, False, 2, True), Reason.TOO_SHORT),
        (KatoAnswers(1, False, 12, False), Reason.NO_IMPAIRMENT),
        (KatoAnswers(1, False, 4, False), Reason.PRE_DURATION),
        (KatoAnswers(1, False, 12, True), Reason.MEETS_CRITERIA),
    ],
)
def test_the_reason_is_kept(answers, reason):
    assert classify(answers).reason == reason


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (KatoAnswers(8, False, 6, True), "days_out_per_week"),
        (KatoAnswers(-1, False, 6, True), "days_out_per_week"),
        (KatoAnswers(2, True, 6, True), "rarely_leaves_room"),
        (KatoAnswers(0, False, -3, True), "continuous_months"),
    ],
)
def test_impossible_answers_are_rejected_naming_the_field(answers, field):
    with pytest.raises(KatoInputError) as caught:
        classify(answers)
    assert caught.value.field == field


@given(st.integers(0, 7), st.booleans(), st.integers(0, 600), st.booleans())
def test_properties(days, room, months, impaired):
    if room and days >= 2:
        return
    result = classify(KatoAnswers(days, room, months, impaired))
    assert (result.severity is None) == (result.status is NOT)
    if result.status is H:
        assert months >= 6 and impaired and days <= 3
    if days >= 4 or months < 3:
        assert result.status is NOT
