from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.lib.fields import EncryptedTextField
from ibasho.people.models import TenantModel


class Contact(TenantModel):
    """One contact or attempt: a letter left, a door that stayed shut, an hour's talk."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        POSTCARD = "postcard", _("Postcard")
        DOOR_VISIT = "door_visit", _("Door visit")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("LINE / SNS message")
        EMAIL = "email", _("Email")
        VIDEO_CALL = "video_call", _("Video call")
        CENTRE_VISIT = "centre_visit", _("Visit to the centre")
        GROUP_SESSION = "group_session", _("Group session")
        FAMILY_CONSULTATION = "family_consultation", _("Family consultation")

    class Reached(models.TextChoices):
        PERSON = "person", _("The person")
        FAMILY = "family", _("A family member")
        NOBODY = "nobody", _("Nobody")

    class Direction(models.TextChoices):
        OUTREACH = "outreach", _("Outreach")
        INCOMING = "incoming", _("Incoming")

    class Outcome(models.TextChoices):
        NO_RESPONSE = "no_response", _("No response")
        LETTER_LEFT = "letter_left", _("Letter left")
        READ_NO_REPLY = "read_no_reply", _("Message read, no reply")
        SPOKE_THROUGH_DOOR = "spoke_through_door", _("Spoke through the door")
        WRITTEN_REPLY = "written_reply", _("Written reply")
        FACE_TO_FACE = "face_to_face", _("Face to face")
        SPOKE_BY_PHONE = "spoke_by_phone", _("Spoke by phone")
        MESSAGE_EXCHANGE = "message_exchange", _("Exchanged messages")
        FAMILY_ONLY = "family_only", _("Family only")
        ATTENDED = "attended", _("Attended")

    # Outcomes in which the person answered: the contact went both ways.
    TWO_WAY_OUTCOMES = frozenset(
        {
            Outcome.SPOKE_THROUGH_DOOR,
            Outcome.WRITTEN_REPLY,
            Outcome.FACE_TO_FACE,
            Outcome.SPOKE_BY_PHONE,
            Outcome.MESSAGE_EXCHANGE,
            Outcome.ATTENDED,
        }
    )

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("person")
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    second_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second staff member"),
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    reached = models.CharField(
        _("who was reached"), max_length=10, choices=Reached.choices, default=Reached.NOBODY
    )
    family_member = models.ForeignKey(
        "people.FamilyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("family member"),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTREACH
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    note = EncryptedTextField(_("note"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "person", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_channel_display()}"

    def is_two_way(self) -> bool:
        return self.reached == self.Reached.PERSON and self.outcome in self.TWO_WAY_OUTCOMES
