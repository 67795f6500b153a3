import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.reports.definitions import DEFAULT_THRESHOLD, KINDS


class ReportSettings(models.Model):
    """An organisation's reporting choices."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    threshold = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Counts of people or contacts below this are shown as '<N'."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_report_settings_per_org")
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def threshold_for(cls, organisation_id: int) -> int:
        found = cls.objects.filter(organisation_id=organisation_id).values_list(
            "threshold", flat=True
        )
        return found[0] if found else DEFAULT_THRESHOLD


class PopulationFigure(models.Model):
    """Residents of a municipality in one age band in one year (e.g. from e-Stat), entered by
    an admin. Public statistics, not personal data."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    municipality = models.CharField(_("municipality"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    age_from = models.PositiveSmallIntegerField(_("age from"), validators=[MaxValueValidator(120)])
    age_to = models.PositiveSmallIntegerField(_("age to"), validators=[MaxValueValidator(120)])
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["municipality", "-year", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality", "year", "age_from", "age_to"],
                name="one_population_figure_per_band",
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="population_org_code"),
            models.CheckConstraint(
                condition=models.Q(age_to__gte=models.F("age_from")), name="population_band_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.age_from}–{self.age_to}"


class ReportJob(models.Model):
    """A report computed off the request path, with its progress and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("report"), max_length=20)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    options = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, default="ja")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # The unsuppressed figures; every output of them is suppressed for whoever may not see them.
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="reportjob_org_code")
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.date_from} – {self.date_to}"

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))
