import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.lib.fields import EncryptedTextField


class OrganisationExport(models.Model):
    """An archive of the whole organisation written off the request path, for its admins to
    download. The passphrase waits here, encrypted, only until the job has used it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    passphrase = EncryptedTextField(blank=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    rows = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organisation export")
        verbose_name_plural = _("organisation exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="organisationexport_org_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"
