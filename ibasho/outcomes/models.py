"""Outcomes: instrument administrations, Kato assessments and recovery profile ratings.

Scoring and classification live in the pure modules (scoring.py, kato.py, recovery.py); these
models store what was recorded together with the result and the version of the rule used, so an
old result stays readable after a definition changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantModel
from ibasho.lib import limits
from ibasho.lib.fields import EncryptedBooleanField, EncryptedCharField, EncryptedJSONField
from ibasho.outcomes import kato

if TYPE_CHECKING:
    from ibasho.outcomes.scoring import Definition


def current_language() -> str:
    return (get_language() or "ja")[:2]


def text_in(texts: dict[str, str | None] | None, fallback: str = "") -> str:
    """Pick the active language from a stored ja/en pair, falling back to the other."""
    texts = texts or {}
    lang = current_language()
    return texts.get(lang) or texts.get("ja") or texts.get("en") or fallback


class Respondent(models.TextChoices):
    SELF = "self", _("Self-reported")
    WORKER = "worker", _("Rated by a worker")
    FAMILY = "family", _("Rated by family")


class InstrumentDefinition(TenantModel):
    """An instrument an organisation defines itself, stored as the same JSON as the shipped ones.

    Saving a new version adds a row; the newest active row of a code is the one used, and older
    rows stay so that results scored with them remain explainable.
    """

    instrument_code = models.CharField(_("instrument code"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    definition = models.JSONField(_("definition"))
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("instrument definition")
        verbose_name_plural = _("instrument definitions")
        ordering = ["instrument_code", "-created_at"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "instrument_code", "version"],
                name="outcomes_definition_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.version}"

    def parsed(self) -> Definition:
        from ibasho.outcomes.scoring import parse_definition

        return parse_definition(self.definition)


class Administration(TenantModel):
    """One completed instrument: the answers, and the result under the definition used."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="administrations"
    )
    family_member = models.ForeignKey(
        "people.FamilyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="administrations",
        verbose_name=_("about a family member"),
        help_text=_("Leave empty when the answers are about the person."),
    )
    instrument = models.CharField(_("instrument"), max_length=40)
    instrument_name = models.JSONField(default=dict)
    instrument_version = models.CharField(_("instrument version"), max_length=40)
    administered_on = models.DateField(_("date"), validators=[limits.record_day])
    respondent = models.CharField(_("who answered"), max_length=10, choices=Respondent.choices)
    # Answers, band and flags are special-care data: encrypted. What must be counted in SQL
    # stays plain: the total (reports) and the yes/no of `concern` and `safety`.
    answers = EncryptedJSONField(_("answers"))
    total = models.IntegerField(_("total"))
    band = EncryptedCharField(_("band"), max_length=40)
    band_label = EncryptedJSONField(default=dict)
    concern = models.BooleanField(default=False)
    band_set = models.CharField(_("cut-off set"), max_length=40)
    band_set_version = models.CharField(_("cut-off version"), max_length=80)
    flags = EncryptedJSONField(_("flags"), default=list)
    safety = models.BooleanField(_("safety flag"), default=False)
    # The safety event the flag raised: the flag's banner shows until the event is followed up.
    safety_event = models.ForeignKey(
        "families.SafetyEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    prorated = models.BooleanField(default=False)
    rescored_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        ordering = ["administered_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "person", "instrument", "administered_on"]),
            models.Index(fields=["organisation", "safety"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.administered_on}"

    @property
    def instrument_label(self) -> str:
        return text_in(self.instrument_name, self.instrument)

    @property
    def band_text(self) -> str:
        return text_in(self.band_label, self.band)


class PreviousScore(TenantModel):
    """A result replaced by re-scoring; kept so the earlier reading stays visible."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="previous_scores"
    )
    instrument_version = models.CharField(max_length=40)
    band_set = models.CharField(max_length=40)
    band_set_version = models.CharField(max_length=80)
    total = models.IntegerField()
    band = EncryptedCharField(max_length=40)
    band_label = EncryptedJSONField(default=dict)
    flags = EncryptedJSONField(default=list)
    scored_at = models.DateTimeField()

    person_path = "administration__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        ordering = ["-created_at", "-id"]

    @property
    def band_text(self) -> str:
        return text_in(self.band_label, self.band)


class KatoAssessment(TenantModel):
    """A short structured assessment classified by Kato, Kanba & Teo (2020); one row per time."""

    class Status(models.TextChoices):
        HIKIKOMORI = kato.Status.HIKIKOMORI.value, _("Hikikomori")
        PRE_HIKIKOMORI = kato.Status.PRE_HIKIKOMORI.value, _("Pre-hikikomori")
        NOT_HIKIKOMORI = kato.Status.NOT_HIKIKOMORI.value, _("Does not meet the criteria")

    class Severity(models.TextChoices):
        MILD = kato.Severity.MILD.value, _("Mild")
        MODERATE = kato.Severity.MODERATE.value, _("Moderate")
        SEVERE = kato.Severity.SEVERE.value, _("Severe")

    class Reason(models.TextChoices):
        GOES_OUT_OFTEN = kato.Reason.GOES_OUT_OFTEN.value, _("Goes out on 4 or more days a week")
        TOO_SHORT = kato.Reason.TOO_SHORT.value, _("Under 3 months")
        NO_IMPAIRMENT = (
            kato.Reason.NO_IMPAIRMENT.value,
            _("6 months or more, but no impairment or distress"),
        )
        MEETS_CRITERIA = kato.Reason.MEETS_CRITERIA.value, _("Meets all criteria")
        PRE_DURATION = kato.Reason.PRE_DURATION.value, _("3 to under 6 months")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="kato_assessments"
    )
    assessed_on = models.DateField(_("date"), validators=[limits.record_day])
    # The answers and the classification are encrypted; counts are made in memory.
    days_out_per_week = EncryptedJSONField(_("days out of the home per week"))
    rarely_leaves_room = EncryptedBooleanField(_("rarely leaves their own room"))
    continuous_months = EncryptedJSONField(_("months in this state, continuously"))
    impairment_or_distress = EncryptedBooleanField(_("significant impairment or distress"))
    status = EncryptedCharField(_("classification"), max_length=20, choices=Status.choices)
    severity = EncryptedCharField(
        _("severity"), max_length=10, choices=Severity.choices, blank=True
    )
    reason = EncryptedCharField(_("reason"), max_length=20, choices=Reason.choices)
    version = models.CharField(max_length=20, default=kato.VERSION)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("Kato et al. assessment")
        verbose_name_plural = _("Kato et al. assessments")
        ordering = ["assessed_on", "id"]
        indexes = [models.Index(fields=["organisation", "person", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.assessed_on}"


class RecoveryRating(TenantModel):
    """One rater's recovery profile on one day: a level 1-5 (or none) per domain."""

    class Rater(models.TextChoices):
        SELF = "self", _("The person's own rating")
        WORKER = "worker", _("Worker's rating")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="recovery_ratings"
    )
    rated_on = models.DateField(_("date"), validators=[limits.record_day])
    rater = models.CharField(_("rated by"), max_length=10, choices=Rater.choices)
    levels = models.JSONField(_("levels"))
    profile_version = models.CharField(max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("recovery profile rating")
        verbose_name_plural = _("recovery profile ratings")
        ordering = ["rated_on", "id"]
        indexes = [models.Index(fields=["organisation", "person", "rated_on"])]

    def __str__(self) -> str:
        return f"{self.get_rater_display()} {self.rated_on}"
