"""Records of provision to a third party and of receipt from one (APPI Art. 29 and 30:
第三者提供の記録 and 第三者提供を受ける際の確認の記録).

A record outlives the person's data: shredding the person leaves the record and a snapshot of
their name and birth date (encrypted) for as long as the law asks the record to be kept
(IBASHO_PROVISION_RECORD_YEARS, at least three years; see docs/sharing.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.lib.fields import EncryptedCharField
from ibasho.provisions.items import labels


class Direction(models.TextChoices):
    PROVISION = "provision", _("Provided to (提供)")
    RECEIPT = "receipt", _("Received from (受領)")


class Basis(models.TextChoices):
    CONSENT = "consent", _("The person's consent")
    SUPPORT_MEETING = "support_meeting", _("Support meeting (支援会議)")
    LAW = "law", _("Required or permitted by law (法令に基づく)")


class Via(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer")
    SUPPORT_MEETING = "support_meeting", _("Support meeting")
    EXPORT = "export", _("Export of the person's records")


class ProvisionQuerySet(TenantQuerySet):
    def about(self, person) -> "ProvisionQuerySet":  # type: ignore[no-untyped-def]
        """The person's records, also those whose person row has gone (by the kept code)."""
        return self.filter(person_code=person.code)


class ProvisionRecord(TenantModel):
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    on = models.DateField(_("date"))
    # The other side: an organisation on this installation (its code, not a key: the record
    # travels in this organisation's archive without the other organisation), or a name.
    counterpart_code = models.UUIDField(_("other organisation's code"), null=True, blank=True)
    counterpart_name = models.CharField(_("recipient or source"), max_length=200)
    # The person: the key goes if the person's row ever does; the code and the encrypted
    # snapshot stay, so that the record still says whom it was about.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provision_records",
        verbose_name=_("person"),
    )
    person_code = models.UUIDField(_("person's record code"), editable=False)
    person_name = EncryptedCharField(_("name"), max_length=100, blank=True)
    person_birth_date = EncryptedCharField(_("birth date"), max_length=10, blank=True)
    items = models.JSONField(_("items"), default=list)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    via = models.CharField(_("by way of"), max_length=20, choices=Via.choices)
    how_obtained = models.CharField(_("how the source obtained it"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    objects = TenantManager.from_queryset(ProvisionQuerySet)()  # type: ignore[misc,assignment]
    unscoped = ProvisionQuerySet.as_manager()  # type: ignore[misc]

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("provision record")
        verbose_name_plural = _("provision records")
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "on"]),
            models.Index(fields=["organisation", "person_code"]),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_direction_display()} {self.counterpart_name}"

    @property
    def item_labels(self) -> list[str]:
        return labels(self.items)

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return str(_("Ibasho (automatic)"))
        return str(self.actor)
