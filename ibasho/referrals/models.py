"""Referrals and transfers of a person from one organisation to another.

A referral belongs to the sending organisation (its `organisation`); the receiving organisation
reads it only through `ibasho.referrals.access`, the one guard for that crossing. What the
receiver made of it on acceptance is the receiver's own: the person record (made by people's
services) and the `ReceivedHistory` that keeps what came "before us"."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ibasho.accounts.tenancy import TenantModel
from ibasho.lib.fields import EncryptedJSONField, EncryptedTextField
from ibasho.people.models import Consent, Person


class ReferralSettings(TenantModel):
    """The organisation's age limit (youth services often end at 39) and how many months ahead
    the people approaching it are listed."""

    age_limit = models.PositiveSmallIntegerField(
        _("age limit"), default=39, validators=[MinValueValidator(12), MaxValueValidator(99)]
    )
    months_ahead = models.PositiveSmallIntegerField(
        _("months ahead"), default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["organisation"], name="one_referral_settings"),
        ]

    def __str__(self) -> str:
        return f"{self.age_limit}"

    @classmethod
    def for_organisation(cls, organisation_id: int) -> "ReferralSettings":
        found = cls.unscoped.filter(organisation_id=organisation_id).first()
        return found or cls(organisation_id=organisation_id)


class DeclineReason(TenantModel):
    """A reason this organisation gives when it declines a referral (its own list)."""

    label = models.CharField(_("reason"), max_length=100)
    active = models.BooleanField(_("offered"), default=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("decline reason")
        verbose_name_plural = _("decline reasons")
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class Referral(TenantModel):
    """One sending of a person to another organisation, with what is shared."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral (we stay involved)")
        TRANSFER = "transfer", _("Transfer (the case moves to them)")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("referral state", "Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("referral state", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral state", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("referral state", "Withdrawn by the sender")
        DONE = "done", pgettext_lazy("referral state", "Done")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        SUPPORT_MEETING = "support_meeting", _("Support meeting (支援会議)")

    OPEN_STATES = (State.PENDING, State.ACCEPTED)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REFERRAL)
    # On this installation: the organisation. Outside it: its name, and a printed letter.
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving organisation"),
    )
    recipient_name = models.CharField(_("receiving organisation (outside)"), max_length=200,
                                      blank=True)  # fmt: skip
    items = models.JSONField(_("what is shared"), default=list)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting_code = models.UUIDField(_("support meeting"), null=True, blank=True)
    note = EncryptedTextField(_("message to the receiving organisation"), blank=True)
    handover_note = EncryptedTextField(_("handover note"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The receiver's reason, kept as worded then (the receiver's list may change).
    decline_reason = models.CharField(_("decline reason"), max_length=100, blank=True)
    decline_note = EncryptedTextField(_("decline note"), blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("sent again after"),
    )  # fmt: skip
    # The trust figures at sending ("before us" for the receiver).
    two_way_minutes = models.PositiveIntegerField(default=0)
    attempts_before_reply = models.PositiveIntegerField(default=0)
    replied = models.BooleanField(default=False)
    months_of_contact = models.PositiveIntegerField(default=0)

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["recipient_organisation", "state"]),
            models.Index(fields=["organisation", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def recipient(self) -> str:
        if self.recipient_organisation_id:
            return str(self.recipient_organisation)
        return self.recipient_name

    @property
    def outside(self) -> bool:
        return self.recipient_organisation_id is None

    @property
    def two_way_hours(self) -> float:
        return round(self.two_way_minutes / 60, 1)

    @property
    def reference(self) -> str:
        return f"R-{str(self.code)[:8]}"


class ReceivedHistory(TenantModel):
    """What the receiving organisation took in with an accepted referral, kept for its own
    person record: where the person came from, the trust figures "before us" (a snapshot taken
    when the referral was sent) and, for the shared groups that are a history rather than a
    record to carry on (contacts, instruments, safety events), that history to read. It is
    never counted in the receiver's own figures."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="before_us")
    referral_code = models.UUIDField(editable=False)
    # The sending organisation's code (not a key: this record is the receiver's alone).
    source_code = models.UUIDField(null=True, blank=True, editable=False)
    source_name = models.CharField(_("from"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Referral.Kind.choices)
    items = models.JSONField(_("what was shared"), default=list)
    received_on = models.DateField(_("received on"))
    two_way_minutes = models.PositiveIntegerField(default=0)
    attempts_before_reply = models.PositiveIntegerField(default=0)
    replied = models.BooleanField(default=False)
    months_of_contact = models.PositiveIntegerField(default=0)
    note = EncryptedTextField(_("message from the sending organisation"), blank=True)
    handover_note = EncryptedTextField(_("handover note"), blank=True)
    # {"contacts": [[date, text], …], "instruments": […], "safety": […]}, as read at acceptance.
    history = EncryptedJSONField(_("history before us"), default=dict, blank=True)

    person_path = "person"

    class Meta(TenantModel.Meta):
        verbose_name = _("history before us")
        verbose_name_plural = _("histories before us")

    def __str__(self) -> str:
        return self.source_name

    @property
    def two_way_hours(self) -> float:
        return round(self.two_way_minutes / 60, 1)
