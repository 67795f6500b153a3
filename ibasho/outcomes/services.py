"""Writes for outcomes: each is atomic, audited, and names the actor with ``by=``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.audit.services import record_audit
from ibasho.families.services import raise_from_safety_flag
from ibasho.lib.limits import check_record
from ibasho.outcomes import kato, recovery, scoring
from ibasho.outcomes.models import (
    Administration,
    InstrumentDefinition,
    KatoAssessment,
    PreviousScore,
    RecoveryRating,
)

logger = logging.getLogger(__name__)

Answers = Sequence[int | None] | Mapping[str, int | None]


def available_instruments(organisation: Any) -> dict[str, scoring.Definition]:
    """The shipped instruments plus the organisation's own (newest active version of each that
    still passes the definition schema: one saved before the schema grew stricter is left out
    and logged, rather than breaking every page that lists instruments)."""
    found = dict(scoring.builtin_definitions())
    own = InstrumentDefinition.objects.filter(organisation=organisation, active=True).order_by(
        "instrument_code", "-created_at", "-id"
    )
    for row in own:
        if row.instrument_code in found:
            continue
        try:
            found[row.instrument_code] = row.parsed()
        except scoring.DefinitionError:
            logger.warning("Instrument definition %s no longer loads; left out", row.code)
    return found


@transaction.atomic
def record_administration(
    person: Any,
    *,
    definition: scoring.Definition,
    answers: Answers,
    administered_on: dt.date,
    respondent: str,
    family_member: Any = None,
    band_set: str | None = None,
    by: Any,
) -> Administration:
    """Score and store an administration; a safety flag is raised in the same transaction.

    Raises scoring.AnswerError (nothing stored) when the answers do not fit the definition, and
    ValidationError for a date out of range or a family member of another household.
    """
    if family_member is not None and (
        family_member.organisation_id != person.organisation_id
        or family_member.household_id is None
        or family_member.household_id != person.household_id
    ):
        raise ValidationError({"family_member": _("Not a member of this person's household.")})
    result = scoring.score(definition, answers, band_set=band_set)
    administration = Administration(
        organisation=person.organisation,
        person=person,
        family_member=family_member,
        instrument=definition.code,
        instrument_name=dict(definition.name),
        administered_on=administered_on,
        respondent=respondent,
        answers=list(result.answers),
        created_by=by,
    )
    apply_score(administration, result)
    check_record(administration, only=["administered_on", "respondent"])
    administration.save()
    record_audit(
        "outcomes.administration.recorded",
        by=by,
        target=administration,
        person=person,
        fields=["instrument", "administered_on", "respondent", "answers", "family_member"],
    )
    if result.safety:
        _raise_safety_flag(administration, result, by=by)
    return administration


@transaction.atomic
def rescore_administration(
    administration: Administration, *, definition: scoring.Definition, by: Any
) -> bool:
    """Score stored answers again under ``definition``; keep the old result if it changes.

    Returns False (and writes nothing) when the result would be identical.
    """
    keys = {band_set.key for band_set in definition.band_sets}
    band_set = administration.band_set if administration.band_set in keys else None
    result = scoring.score(definition, administration.answers, band_set=band_set)
    unchanged = (
        result.version == administration.instrument_version
        and result.band_set.version == administration.band_set_version
        and result.total == administration.total
        and result.band.key == administration.band
        and [flag.key for flag in result.flags] == administration.flags
    )
    if unchanged:
        return False
    was_safety = administration.safety
    PreviousScore.objects.create(
        organisation=administration.organisation,
        administration=administration,
        instrument_version=administration.instrument_version,
        band_set=administration.band_set,
        band_set_version=administration.band_set_version,
        total=administration.total,
        band=administration.band,
        band_label=administration.band_label,
        flags=administration.flags,
        scored_at=administration.rescored_at or administration.created_at,
    )
    apply_score(administration, result)
    administration.rescored_at = timezone.now()
    administration.save()
    record_audit(
        "outcomes.administration.rescored",
        by=by,
        target=administration,
        person=administration.person,
        fields=["instrument_version", "total", "band", "flags"],
    )
    if result.safety and not was_safety:
        _raise_safety_flag(administration, result, by=by)
    return True


def apply_score(administration: Administration, result: scoring.Score) -> None:
    """Copy a score's result fields onto an administration (not saved)."""
    administration.instrument_version = result.version
    administration.total = result.total
    administration.band = result.band.key
    administration.band_label = dict(result.band.label)
    administration.concern = result.band.concern
    administration.band_set = result.band_set.key
    administration.band_set_version = result.band_set.version
    administration.flags = [flag.key for flag in result.flags]
    administration.safety = result.safety
    administration.prorated = result.prorated


def _raise_safety_flag(administration: Administration, result: scoring.Score, *, by: Any) -> None:
    """Audit now; raise the safety event once the administration is really stored."""
    reason = ",".join(flag.key for flag in result.flags if flag.safety)
    record_audit(
        "outcomes.safety_flag.raised",
        by=by,
        target=administration,
        person=administration.person,
        fields=["flags"],
    )

    def raise_event() -> None:
        event = raise_from_safety_flag(administration.person, reason=reason)
        Administration.objects.filter(pk=administration.pk).update(safety_event=event)

    transaction.on_commit(raise_event)


def build_kato_assessment(
    person: Any, answers: kato.KatoAnswers, assessed_on: dt.date
) -> KatoAssessment:
    """Classify answers into an unsaved assessment (raises kato.KatoInputError)."""
    result = kato.classify(answers)
    return KatoAssessment(
        organisation_id=person.organisation_id,
        person=person,
        assessed_on=assessed_on,
        days_out_per_week=answers.days_out_per_week,
        rarely_leaves_room=answers.rarely_leaves_room,
        continuous_months=answers.continuous_months,
        impairment_or_distress=answers.impairment_or_distress,
        status=result.status.value,
        severity=result.severity.value if result.severity else "",
        reason=result.reason.value,
        version=result.version,
    )


@transaction.atomic
def record_kato_assessment(
    person: Any, *, answers: kato.KatoAnswers, assessed_on: dt.date, by: Any
) -> KatoAssessment:
    """Classify and store; raises kato.KatoInputError (nothing stored) on impossible answers."""
    assessment = build_kato_assessment(person, answers, assessed_on)
    assessment.created_by = by
    check_record(assessment, only=["assessed_on"])
    assessment.save()
    record_audit(
        "outcomes.kato_assessment.recorded",
        by=by,
        target=assessment,
        person=person,
        fields=["days_out_per_week", "rarely_leaves_room", "continuous_months",
                "impairment_or_distress", "status", "severity"],
    )  # fmt: skip
    return assessment


@transaction.atomic
def record_recovery_profile(
    person: Any,
    *,
    rated_on: dt.date,
    ratings: Mapping[str, Mapping[str, object]],
    by: Any,
) -> list[RecoveryRating]:
    """Store one row per rater (``self``, ``worker``) that rated at least one domain.

    Raises recovery.ProfileError (nothing stored) for unknown domains or levels out of range.
    """
    profile = recovery.load_profile()
    rows = []
    for rater in (RecoveryRating.Rater.SELF, RecoveryRating.Rater.WORKER):
        given = ratings.get(rater.value) or {}
        if all(value in (None, "") for value in given.values()):
            continue
        rows.append(
            RecoveryRating(
                organisation=person.organisation,
                person=person,
                rated_on=rated_on,
                rater=rater.value,
                levels=recovery.validate_ratings(profile, given),
                profile_version=profile.version,
                created_by=by,
            )
        )
    if not rows:
        raise recovery.ProfileError("ratings", "rate at least one domain")
    for row in rows:
        check_record(row, only=["rated_on"])
        row.save()
        record_audit(
            "outcomes.recovery_rating.recorded",
            by=by,
            target=row,
            person=person,
            fields=["rated_on", "rater", "levels"],
        )
    return rows


@transaction.atomic
def save_instrument_definition(organisation: Any, raw: object, *, by: Any) -> InstrumentDefinition:
    """Validate and store an organisation's own instrument (a new version adds a row).

    Raises scoring.DefinitionError naming the fault; shipped codes cannot be replaced.
    """
    definition = scoring.parse_definition(raw)
    if definition.code in scoring.builtin_definitions():
        raise scoring.DefinitionError("code", f"{definition.code!r} is a shipped instrument")
    taken = InstrumentDefinition.objects.filter(
        organisation=organisation, instrument_code=definition.code, version=definition.version
    )
    if taken.exists():
        raise scoring.DefinitionError(
            "version", f"version {definition.version!r} of {definition.code!r} already exists"
        )
    row = InstrumentDefinition.objects.create(
        organisation=organisation,
        instrument_code=definition.code,
        version=definition.version,
        definition=raw,
        created_by=by,
    )
    record_audit(
        "outcomes.instrument_definition.saved",
        by=by,
        target=row,
        fields=["instrument_code", "version", "definition"],
    )
    return row
