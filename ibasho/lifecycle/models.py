"""Retention, legal holds, a person's requests (利用停止・消去), shredding batches, and breach
incidents with the people they affected."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantModel
from ibasho.lib.fields import EncryptedTextField


class RecordType(models.TextChoices):
    """What retention counts separately. Each shredding rule belongs to one of these."""

    IDENTITY = "identity", _("Names, birth date and what the person said")
    CONTACTS = "contacts", _("Contact notes and case notes")
    FAMILY = "family", _("Household and family details")
    OUTCOMES = "outcomes", _("Instrument answers")
    SAFETY = "safety", _("Safety events and reported changes")
    PROGRAMMES = "programmes", _("Attendance notes")


DEFAULT_YEARS = 5
DEFAULT_AUDIT_YEARS = 10


class RetentionSettings(models.Model):
    """How long an organisation keeps each type of record after a person's last case closed,
    and how long it keeps its audit trail. Not personal data."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="retention"
    )
    years = models.JSONField(_("years per record type"), default=dict, blank=True)
    audit_years = models.PositiveSmallIntegerField(
        _("audit trail kept for (years)"), default=DEFAULT_AUDIT_YEARS
    )

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.years} / {self.audit_years}"

    def years_for(self, record_type: str) -> int:
        return int(self.years.get(record_type, DEFAULT_YEARS))

    @classmethod
    def for_organisation(cls, organisation_id: int) -> "RetentionSettings":
        found = cls.objects.filter(organisation_id=organisation_id).first()
        return found or cls(organisation_id=organisation_id)


class LegalHold(TenantModel):
    """Stops shredding of a person's records (or of everyone in one case) while it stands."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "people.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.CharField(_("why it is lifted"), max_length=200, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-created_at", "-id"]

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class PersonRequest(TenantModel):
    """A person's request to stop using (利用停止) or to erase (消去) their data."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Stop using (利用停止)")
        ERASURE = "erasure", _("Erase (消去)")

    class Status(models.TextChoices):
        OPEN = "open", _("In force")
        LIFTED = "lifted", _("Lifted")
        ERASED = "erased", _("Erased")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    details = EncryptedTextField(_("how and by whom it was asked"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_on = models.DateField(null=True, blank=True)
    batch = models.ForeignKey(
        "lifecycle.ShreddingBatch", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("person's request")
        verbose_name_plural = _("people's requests")
        ordering = ["-received_on", "-id"]


class ShreddingBatch(TenantModel):
    """The people whose records of some types are to be shredded: prepared, shown to an
    organisation admin as a preview, confirmed, then shredded in one transaction."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        DONE = "done", _("Shredded")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        RETENTION = "retention", _("Retention period over")
        REQUEST = "request", _("The person's request")

    reason = models.CharField(max_length=10, choices=Reason.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    prepared_on = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("shredding batch")
        verbose_name_plural = _("shredding batches")
        ordering = ["-created_at", "-id"]

    def summary(self) -> dict[str, Any]:
        """How many people, and how many per record type (never who)."""
        items = self.items.all()
        per_type = dict(items.values_list("record_type").annotate(n=models.Count("id")).order_by())
        labels = dict(RecordType.choices)
        return {
            "people": items.values("person_id").distinct().count(),
            "types": [(labels[t], per_type[t]) for t in RecordType.values if t in per_type],
        }


class BatchItem(TenantModel):
    """One person's records of one type in a batch. Once the batch is done, it is the record
    that they were shredded (it holds no personal data itself)."""

    batch = models.ForeignKey(ShreddingBatch, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=12, choices=RecordType.choices)

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "batch", "person", "record_type"], name="one_item_per_type"
            ),
        ]


class Incident(TenantModel):
    """A personal-data breach (漏えい等): what happened, and the reports it calls for."""

    class Kind(models.TextChoices):
        LOST_DEVICE = "lost_device", _("Lost or stolen device or papers")
        MISDELIVERY = "misdelivery", _("Sent to the wrong person")
        UNAUTHORISED_ACCESS = "unauthorised", _("Unauthorised access")
        TOKEN_LEAK = "token_leak", _("API token leaked")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = EncryptedTextField(_("what happened"))
    discovered_at = models.DateTimeField(_("discovered at"))
    discovered_by = models.CharField(_("discovered by"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    preliminary_reported_on = models.DateField(
        _("preliminary report sent on"), null=True, blank=True
    )
    final_reported_on = models.DateField(_("final report sent on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = EncryptedTextField(_("how it was resolved"), blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-discovered_at", "-id"]

    @property
    def discovered_on(self) -> dt.date:
        return self.discovered_at.astimezone(self.organisation.zone).date()

    @property
    def preliminary_due(self) -> dt.date:
        """速報: promptly; the PPC's guidance reads this as within about 3–5 days."""
        return self.discovered_on + dt.timedelta(days=settings.IBASHO_BREACH_PRELIMINARY_DAYS)

    @property
    def final_due(self) -> dt.date:
        """確報: within 30 days, or 60 where the breach was done on purpose (不正の目的)."""
        days = 60 if self.kind == self.Kind.UNAUTHORISED_ACCESS else 30
        return self.discovered_on + dt.timedelta(days=days)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AffectedPerson(TenantModel):
    """Someone whose data the incident reached, and what the audit trail says about it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reads = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    found_by = models.CharField(max_length=100, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "incident", "person"], name="affected_once"
            ),
        ]
