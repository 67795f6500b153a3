from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.lib.fields import EncryptedTextField


class NotificationQuerySet(TenantQuerySet):
    def visible_to(self, membership):  # type: ignore[no-untyped-def]
        """A member of staff reads their own inbox in the organisation they work under, and
        no one else's (analysts included: their inbox holds no personal data)."""
        if membership is None:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id, recipient=membership.user_id)

    def unread(self):  # type: ignore[no-untyped-def]
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    """One item in a member of staff's inbox, in one organisation."""

    class Email(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Not wanted")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")
        GAVE_UP = "gave_up", _("Could not be sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The subject names what happened, never whom it is about; details go in the body,
    # which is encrypted and never copied into an e-mail.
    subject = models.CharField(_("subject"), max_length=200)
    body = EncryptedTextField(_("details"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email = models.CharField(max_length=20, choices=Email.choices, default=Email.NOT_WANTED)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager.from_queryset(NotificationQuerySet)()  # type: ignore[misc,assignment]
    unscoped = NotificationQuerySet.as_manager()  # type: ignore[misc]

    class Meta(TenantModel.Meta):
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class EmailPreference(models.Model):
    """A member of staff's choice, per kind, of whether an e-mail copy is sent. No row means
    the kind's default."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "kind"], name="one_email_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.email}"
