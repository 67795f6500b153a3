import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.lib.fields import EncryptedTextField
from ibasho.programmes import matching
from ibasho.programmes.courses import TEMPLATES


class Programme(TenantModel):
    """One of the many doors: a group, a course, a camp, a work trial, a peer group."""

    class Kind(models.TextChoices):
        GROUP_IBASHO = "group_ibasho", _("Group ibasho")
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        ONLINE = "online", _("Remote / online")
        FAMILY_COURSE = "family_course", _("Family course")
        CAMP = "camp", _("Residential camp")
        WORK_TRIAL = "work_trial", _("Work trial")
        PEER_GROUP = "peer_group", _("Peer group")
        OTHER = "other", _("Other")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Audience(models.TextChoices):
        PERSON = "person", _("People in withdrawal")
        FAMILY = "family", _("Family members")
        BOTH = "both", _("Both")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kind_label = models.CharField(
        _("own name for the kind"),
        max_length=60,
        blank=True,
        help_text=_("For kinds of your own, e.g. 'cooking club'."),
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    mode = models.CharField(_("where"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    audience = models.CharField(
        _("for"), max_length=20, choices=Audience.choices, default=Audience.PERSON
    )
    women_only = models.BooleanField(_("women only"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=200, blank=True, help_text=_("e.g. Wednesdays 13:00–15:00")
    )
    starts_at = models.TimeField(_("usual start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("usual length (minutes)"), default=120)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    course_template = models.CharField(
        _("course template"),
        max_length=20,
        blank=True,
        choices=[(code, t.name_en) for code, t in TEMPLATES.items()],
    )
    is_open = models.BooleanField(_("open for enrolment"), default=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name_ja", "id"]
        indexes = [models.Index(fields=["organisation", "is_open"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = not (get_language() or "ja").startswith("ja")
        return (self.name_en if english and self.name_en else self.name_ja) or ""

    @property
    def description(self) -> str:
        english = not (get_language() or "ja").startswith("ja")
        return self.description_en if english and self.description_en else self.description_ja

    @property
    def kind_display(self) -> str:
        return self.kind_label or str(self.get_kind_display())

    def free_places(self, enrolled: int) -> int | None:
        return None if self.capacity is None else max(self.capacity - enrolled, 0)

    def as_offer(self, enrolled: int, weekdays: frozenset[int]) -> matching.Offer:
        return matching.Offer(
            code=str(self.code),
            kind=self.kind,
            mode=matching.Mode(self.mode),
            audience=matching.Audience(self.audience),
            women_only=self.women_only,
            starts_at=self.starts_at,
            weekdays=weekdays,
            capacity=self.capacity,
            enrolled=enrolled,
            is_open=self.is_open,
            min_age=self.min_age,
            max_age=self.max_age,
        )


class Session(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"), null=True, blank=True)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("length (minutes)"))
    online = models.BooleanField(_("online"), default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("facilitators")
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    homework = models.TextField(_("homework set"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "programme", "date"])]

    def __str__(self) -> str:
        number = f"#{self.number} " if self.number else ""
        return f"{number}{self.date:%Y-%m-%d}"

    def starts(self) -> dt.datetime:
        """The session's start as an aware datetime (noon when no time was set)."""
        naive = dt.datetime.combine(self.date, self.starts_at or dt.time(12, 0))
        return timezone.make_aware(naive)


class EnrolmentQuerySet(TenantQuerySet):
    def current(self):  # type: ignore[no-untyped-def]
        return self.filter(left_on__isnull=True)


class Enrolment(TenantModel):
    """A person, or one of their family members, taking part in a programme. `person` is always
    the person the support is for, so that a family member's attendance is logged on their case."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    family_member = models.ForeignKey(
        "people.FamilyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("family member taking part"),
    )
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = TenantManager.from_queryset(EnrolmentQuerySet)()  # type: ignore[misc,assignment]
    unscoped = EnrolmentQuerySet.as_manager()  # type: ignore[misc]

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_on", "id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "programme", "person"],
                condition=Q(family_member__isnull=True, left_on__isnull=True),
                name="one_current_enrolment_per_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "programme", "family_member"],
                condition=Q(family_member__isnull=False, left_on__isnull=True),
                name="one_current_enrolment_per_family_member",
            ),
        ]

    def __str__(self) -> str:
        return str(self.family_member or self.person)

    @property
    def is_family(self) -> bool:
        return self.family_member_id is not None


class Attendance(TenantModel):
    """Who came to a session and how; no judgement is attached to any of these."""

    class Status(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        CAMERA_OFF = "camera_off", _("Attended online, camera off")
        PART = "part", _("Came late / left early")
        ABSENT = "absent", _("Absent")

    PRESENT = frozenset({Status.ATTENDED, Status.CAMERA_OFF, Status.PART})

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    note = EncryptedTextField(_("note / homework"), blank=True)
    # The contact-log entry this attendance produced; kept in step when attendance changes.
    contact = models.OneToOneField(
        "outreach.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    person_path = "enrolment__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "session", "enrolment"], name="one_attendance_each"
            ),
        ]

    @property
    def is_present(self) -> bool:
        return self.status in self.PRESENT


class MeasurementPoint(TenantModel):
    """Before / after / follow-up measurement of a family course, laid out from its template."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the course")
        AFTER = "after", _("After the course")
        FOLLOW_UP = "follow_up", _("Follow-up")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="measurement_points"
    )
    kind = models.CharField(_("measurement"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("measurement point")
        verbose_name_plural = _("measurement points")
        ordering = ["due_on", "id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "programme", "kind"], name="one_point_per_kind"
            ),
        ]
