from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantModel


class Kind(models.TextChoices):
    PEOPLE = "people", _("People (with case, stage and worker)")
    FAMILY = "family", _("Households and family members")
    CONTACTS = "contacts", _("Contact history")
    CONSENTS = "consents", _("Consents")


class ImportJob(TenantModel):
    """One uploaded file on its way in: its mapping, what the preview found and, once
    confirmed, the background run's outcome. The file itself is kept encrypted."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("what the file holds"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)  # Fernet token of the file's bytes
    mapping = models.JSONField(default=dict, blank=True)
    only_valid = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="ja")  # of the row errors it records
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Row numbers, columns and reasons of rejected rows (never their values).
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class ColumnMapping(TenantModel):
    """The organisation's last mapping of a column heading to a field, per kind of file."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    header = models.CharField(max_length=200)
    target = models.CharField(max_length=40, blank=True)  # "" = not imported

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "kind", "header"], name="imports_mapping_per_header"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.target}"


class ImportedRow(TenantModel):
    """What a row with this external id became, and a digest of its values: importing the
    same row again changes nothing, a corrected row updates its record."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    external_id = models.CharField(max_length=200)
    target_code = models.UUIDField()
    digest = models.CharField(max_length=64)

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "kind", "external_id"], name="imports_row_per_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.external_id}"
