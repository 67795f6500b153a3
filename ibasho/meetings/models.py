"""支援会議: support meetings under 社会福祉法 Art. 106-6 (重層的支援体制整備事業) or
生活困窮者自立支援法 Art. 9. An organisation convenes a meeting; other organisations on this
installation take part; their members present acknowledge the duty of confidentiality; inside
the meeting, what a member brings about a person not yet connected to support may be shared
without the person's consent, for the meeting's purpose only.

A meeting crosses organisations, which tenancy normally keeps apart: every read of another
organisation's row goes through `meetings.access` (one guard) and the `unscoped` managers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantModel
from ibasho.lib import limits
from ibasho.lib.fields import EncryptedJSONField, EncryptedTextField
from ibasho.provisions.models import Basis


class Law(models.TextChoices):
    SOCIAL_WELFARE = (
        "social_welfare_106_6",
        _("Social Welfare Act Art. 106-6 (社会福祉法 106条の6)"),
    )
    SELF_RELIANCE = (
        "self_reliance_9",
        _("Act on Self-Reliance Support for the Needy Art. 9 (生活困窮者自立支援法 9条)"),
    )


class SupportMeeting(TenantModel):
    """A meeting, owned by the organisation that convenes it."""

    title = models.CharField(_("title"), max_length=100, help_text=_("No one's name here."))
    held_on = models.DateField(_("held on"), validators=[limits.planned_day])
    law = models.CharField(_("legal basis"), max_length=30, choices=Law.choices)
    # 非公開: the minutes are for the members only, held encrypted.
    minutes = EncryptedTextField(_("minutes (非公開)"), blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("support meeting")
        verbose_name_plural = _("support meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class MeetingOrganisation(TenantModel):
    """Another organisation taking part (the convening one always does)."""

    meeting = models.ForeignKey(SupportMeeting, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip

    class Meta(TenantModel.Meta):
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "meeting", "member"], name="one_meeting_organisation"
            ),
        ]


class OutsideParticipant(TenantModel):
    """Someone present from an organisation that does not use Ibasho (named, not a user)."""

    meeting = models.ForeignKey(SupportMeeting, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("affiliation"), max_length=200)

    class Meta(TenantModel.Meta):
        verbose_name = _("outside participant")
        verbose_name_plural = _("outside participants")


class MeetingMember(TenantModel):
    """A member of staff present, from the convening or a member organisation, with their
    acknowledgement of the duty of confidentiality (守秘義務). Until they acknowledge, they
    see nothing that was shared."""

    meeting = models.ForeignKey(SupportMeeting, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("confidentiality acknowledged at"), null=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("meeting member")
        verbose_name_plural = _("meeting members")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "meeting", "membership"], name="one_meeting_member"
            ),
        ]


class SharedPerson(TenantModel):
    """A person discussed at the meeting, owned by the organisation that brought them (whose
    person they are), with the item groups shared and what the members were shown: a snapshot
    made when shared, for the meeting's purpose only."""

    meeting = models.ForeignKey(SupportMeeting, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    brought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(_("items shared"), default=list)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices, blank=True)
    snapshot = EncryptedJSONField(_("what was shared"), null=True, blank=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("person discussed")
        verbose_name_plural = _("people discussed")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "meeting", "person"], name="one_meeting_person"
            ),
        ]

    def __str__(self) -> str:
        return str(self.meeting)
