from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, membership) -> "AuditEntryQuerySet":  # type: ignore[no-untyped-def]
        """Only an organisation's admins read its audit trail."""
        if membership is None or not membership.is_admin:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def about_person(self, person_code) -> "AuditEntryQuerySet":  # type: ignore[no-untyped-def]
        return self.filter(person_code=person_code)


class AuditEntry(models.Model):
    """Who did what to which record, and when. Holds field names, never their values."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_code = models.CharField(_("record"), max_length=64, blank=True)
    person_code = models.UUIDField(_("person"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # A list read names no one: it says how many people (households, for a household list)
    # the page or response showed.
    count = models.PositiveIntegerField(_("people shown"), null=True, blank=True)
    # Where the request came from (ibasho.audit.context): the channel, the client's address
    # and, for the API, the token, so that a breach's scope can be traced to a token or a place.
    channel = models.CharField(_("channel"), max_length=8, blank=True, default="system")
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    token = models.ForeignKey(
        "accounts.ApiToken", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "person_code", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type}"
