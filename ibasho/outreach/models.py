import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.lib import limits
from ibasho.lib.fields import EncryptedCharField, EncryptedTextField, decrypt
from ibasho.lib.prepared import ORGANISATION, Pending, Prepared
from ibasho.lib.rows import Row
from ibasho.lib.suspensions import without_suspended
from ibasho.outreach import cadence as rules
from ibasho.people.models import LOGGED_CHANNELS, Case, Channel, full_name

# A contact, like a day, lasts at most 24 hours.
MAX_MINUTES = 24 * 60


class Contact(TenantModel):
    """One contact or attempt: a letter left, a door that stayed shut, an hour's talk."""

    Channel = Channel  # the one channel vocabulary, defined with people

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
    occurred_at = models.DateTimeField(
        _("when"), default=timezone.now, validators=[limits.record_moment]
    )
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
    channel = models.CharField(_("channel"), max_length=30, choices=LOGGED_CHANNELS)
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
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=0,
        validators=[
            MaxValueValidator(MAX_MINUTES, message=_("A contact cannot last more than a day."))
        ],
    )
    note = EncryptedTextField(_("note"), blank=True)
    next_step = EncryptedCharField(_("next step"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "person", "occurred_at"]),
            # The reports' period scans: every column they read is in the index, so a fiscal
            # year of one organisation is one range of it, never the table.
            models.Index(
                fields=[
                    "organisation", "occurred_at", "person", "channel", "reached", "outcome",
                    "duration_minutes",
                ],
                name="outreach_contact_period_idx",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_channel_display()}"

    def is_two_way(self) -> bool:
        return self.counts_as_two_way(self.reached, self.outcome)

    @classmethod
    def counts_as_two_way(cls, reached: str, outcome: str) -> bool:
        """The person answered: they were reached and replied, talked or took part."""
        return reached == cls.Reached.PERSON and outcome in cls.TWO_WAY_OUTCOMES


# `Contact.counts_as_two_way` as a filter, for the sums the database does.
TWO_WAY_CONTACTS = Q(reached=Contact.Reached.PERSON, outcome__in=Contact.TWO_WAY_OUTCOMES)


class Stage(models.TextChoices):
    """The stepwise support model. People move both ways; a step back is not a failure."""

    FAMILY_SUPPORT = "family_support", _("Family support")
    INDIVIDUAL_INDIRECT = "individual_indirect", _("Individual support (indirect)")
    INDIVIDUAL_FACE_TO_FACE = "individual_face_to_face", _("Individual support (face to face)")
    GROUP = "group", _("Group / ibasho")
    TRIAL_PARTICIPATION = "trial_participation", _("Trial social participation")


class StageChange(TenantModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    previous_stage = models.CharField(
        _("previous stage"), max_length=30, choices=Stage.choices, blank=True
    )
    changed_on = models.DateField(
        _("since"), default=timezone.localdate, validators=[limits.record_day]
    )
    note = EncryptedTextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_on", "-id"]
        indexes = [models.Index(fields=["organisation", "person", "changed_on"])]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.get_stage_display()}"


class Backoff(models.Model):
    """The backoff rule: an organisation's default and each plan's own copy."""

    backoff_factor = models.DecimalField(
        _("interval multiplier after each unanswered attempt"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    backoff_ceiling_days = models.PositiveSmallIntegerField(
        _("longest interval between attempts (days)"),
        default=42,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        abstract = True

    def backoff(self) -> rules.BackoffRule:
        return rules.BackoffRule(float(self.backoff_factor), self.backoff_ceiling_days)


# No pause, however approved, runs longer than this: a longer one is a closure to be decided,
# not a quiet period.
QUIET_LONGEST_DAYS = 730


class OutreachSettings(Backoff):
    """Per-organisation thresholds; no field norm exists, so every number is configurable."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="outreach_settings"
    )
    no_attempt_days = models.PositiveSmallIntegerField(
        _("at risk after this many days without any contact"),
        default=45,
        validators=[MinValueValidator(1)],
    )
    no_two_way_days = models.PositiveSmallIntegerField(
        _("at risk after this many days without two-way contact"),
        default=90,
        validators=[MinValueValidator(1)],
    )
    default_channel = models.CharField(
        _("first way of reaching out on a new case"),
        max_length=30,
        choices=LOGGED_CHANNELS,
        default=Contact.Channel.LETTER,
    )
    default_every_days = models.PositiveSmallIntegerField(
        _("every (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    quiet_max_days = models.PositiveSmallIntegerField(
        _("longest quiet period without a coordinator's approval (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(QUIET_LONGEST_DAYS)],
    )

    class Meta:
        verbose_name = _("outreach settings")
        verbose_name_plural = _("outreach settings")

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def for_organisation(cls, organisation: Any) -> "OutreachSettings":
        return cls.of(organisation, cls.query(organisation.pk).rows())

    @classmethod
    def query(cls, organisation_id: int) -> Pending:
        """The organisation's settings, to be asked together with a page's other queries."""
        return _OUTREACH_SETTINGS.later(organisation=organisation_id)

    @classmethod
    def of(cls, organisation: Any, found: list["OutreachSettings"]) -> "OutreachSettings":
        """The settings read by `query`, or the defaults where the organisation has none."""
        return found[0] if found else cls(organisation=organisation)


# Read on every coordinator's Today: compiled once (ibasho.lib.prepared).
_OUTREACH_SETTINGS = Prepared(
    OutreachSettings,
    lambda: OutreachSettings.objects.filter(organisation_id=ORGANISATION),
)


def at_risk_cutoffs(today: dt.date, settings: OutreachSettings) -> tuple[dt.date, dt.date]:
    """The days before which no contact, or no two-way contact, puts a case at risk."""
    return (
        today - dt.timedelta(days=settings.no_attempt_days),
        today - dt.timedelta(days=settings.no_two_way_days),
    )


class OutreachPlanQuerySet(TenantQuerySet):
    def open(self) -> "OutreachPlanQuerySet":
        return self.filter(case__status=Case.Status.OPEN)

    def at_risk(self, today: dt.date, settings: OutreachSettings) -> "OutreachPlanQuerySet":
        """Open cases that nobody has contacted for N days (counting from the opening when
        never), or whose person once answered but has had no two-way contact for M days.
        Someone never reached but knocked on steadily is being persisted with, not dropped."""
        return self.at_risk_from(*at_risk_cutoffs(today, settings))

    def at_risk_from(self, no_contact: Any, no_two_way: Any) -> "OutreachPlanQuerySet":
        """`at_risk` with its two cutoff days given (dates, or slots of a prepared query)."""
        at_risk = self.open().filter(
            Q(last_contact_on__lt=no_contact)
            | Q(last_contact_on__isnull=True, case__opened_on__lt=no_contact)
            | Q(last_two_way_on__lt=no_two_way)
        )
        return without_suspended(at_risk, "case__person")  # type: ignore[return-value]


class OutreachPlan(TenantModel, Backoff):
    """How and how often a case is reached out to. The dates below are maintained whenever a
    contact, cadence or quiet period changes, so the queue is a plain indexed query."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outreach_plan")
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    last_two_way_on = models.DateField(_("last two-way contact"), null=True, blank=True)

    objects = TenantManager.from_queryset(OutreachPlanQuerySet)()  # type: ignore[misc,assignment]
    unscoped = OutreachPlanQuerySet.as_manager()  # type: ignore[misc]

    person_path = "case__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("outreach plan")
        verbose_name_plural = _("outreach plans")
        indexes = [models.Index(fields=["organisation", "next_due_on"])]

    def __str__(self) -> str:
        return f"{self.case}"

    def risk(self, today: dt.date, config: OutreachSettings) -> dict[str, Any]:
        """How long since any contact and since a two-way one, and which limit is passed."""
        return plan_risk(
            today, config, self.case.opened_on, self.last_contact_on, self.last_two_way_on
        )


def plan_risk(
    today: dt.date,
    config: OutreachSettings,
    opened_on: dt.date,
    last_contact_on: dt.date | None,
    last_two_way_on: dt.date | None,
) -> dict[str, Any]:
    """A plan's risk from its dates alone: lists read the dates without loading plans."""
    since_contact = (today - (last_contact_on or opened_on)).days
    since_two_way = (today - last_two_way_on).days if last_two_way_on else None
    return {
        "days_since_contact": since_contact,
        "days_since_two_way": since_two_way,
        "no_contact": since_contact > config.no_attempt_days,
        "no_two_way": since_two_way is not None and since_two_way > config.no_two_way_days,
    }


@dataclass(frozen=True)
class QueuePerson(Row):
    """The little a queue row shows of a person. The two encrypted notes are read sealed and
    opened when shown: a queue reads more rows (and the same person more than once) than a
    page shows, and decrypting them all cost more than the rest of the query."""

    code: Any
    family_name: str
    given_name: str
    preferred_name_sealed: str
    things_to_avoid_sealed: str

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_name)

    @cached_property
    def preferred_name(self) -> str:
        return decrypt(self.preferred_name_sealed) if self.preferred_name_sealed else ""

    @cached_property
    def things_to_avoid(self) -> str:
        return decrypt(self.things_to_avoid_sealed) if self.things_to_avoid_sealed else ""


@dataclass(frozen=True)
class QueueRow:
    """One due cadence as Today and the queue API show it: plain values read as the columns
    of one query, with no model instances to build."""

    id: int
    code: Any
    channel: str
    next_due_on: dt.date | None
    unanswered: int
    person: QueuePerson

    def days_overdue(self, today: dt.date) -> int:
        if self.next_due_on is None:
            return 0
        return max(0, (today - self.next_due_on).days)


_PERSON = "plan__case__person__"
# Of the person's encrypted notes only the name they like and "things to avoid".
QUEUE_COLUMNS = (
    "id", "code", "channel", "next_due_on", "unanswered",
    *(_PERSON + name for name in ("code", "family_name", "given_name")),
)  # fmt: skip
# The encrypted ones as stored (a plain text column), opened by `QueuePerson` when shown.
QUEUE_SEALED = {
    f"sealed_{name}": ExpressionWrapper(F(_PERSON + name), output_field=models.TextField())
    for name in ("preferred_name", "things_to_avoid")
}


class CadenceQuerySet(TenantQuerySet):
    def due_on(self, day: dt.date) -> "CadenceQuerySet":
        return self.filter(next_due_on__lte=day, plan__case__status=Case.Status.OPEN)

    def assigned_to(self, user: Any) -> "CadenceQuerySet":
        return self.filter(plan__case__assignments__worker=user)

    def queue(self, user: Any, day: dt.date) -> "CadenceQuerySet":
        """A worker's outreach due on `day`, overdue first (evaluate with `rows()`)."""
        due = self.due_on(day).assigned_to(user).most_urgent_first()
        return without_suspended(due, "plan__case__person")  # type: ignore[return-value]

    def rows(self) -> list[QueueRow]:
        return queue_rows(self.row_values())

    def row_values(self) -> "CadenceQuerySet":
        """The columns of `QueueRow`, as a values_list query."""
        return self.annotate(**QUEUE_SEALED).values_list(  # type: ignore[no-any-return]
            *QUEUE_COLUMNS, *QUEUE_SEALED
        )

    def most_urgent_first(self) -> "CadenceQuerySet":
        return self.order_by("next_due_on", "-unanswered", "plan__case__person__sort_key", "id")


def queue_rows(values: Any) -> list[QueueRow]:
    return [
        QueueRow(pk, code, channel, due, unanswered, QueuePerson(*person))
        for pk, code, channel, due, unanswered, *person in values
    ]


class Cadence(TenantModel):
    """One channel of a plan, e.g. a letter every 14 days, with its backoff state."""

    plan = models.ForeignKey(OutreachPlan, on_delete=models.CASCADE, related_name="cadences")
    channel = models.CharField(_("channel"), max_length=30, choices=LOGGED_CHANNELS)
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    starts_on = models.DateField(_("starting"), default=timezone.localdate)
    last_on = models.DateField(null=True, blank=True, editable=False)
    unanswered = models.PositiveIntegerField(default=0, editable=False)
    next_due_on = models.DateField(_("next due"), null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(CadenceQuerySet)()  # type: ignore[misc,assignment]
    unscoped = CadenceQuerySet.as_manager()  # type: ignore[misc]

    person_path = "plan__case__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("cadence")
        verbose_name_plural = _("cadences")
        ordering = ["next_due_on", "channel"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "plan", "channel"], name="one_cadence_per_channel"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "next_due_on"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} / {self.every_days}"

    def as_data(self) -> rules.Cadence:
        return rules.Cadence(self.channel, self.every_days, self.starts_on)


class QuietPeriod(TenantModel):
    """A pause the person chose ("not now"), with the channels they agreed may continue."""

    class AskedBy(models.TextChoices):
        PERSON = "person", _("The person")
        FAMILY = "family", _("The family")
        WORKER = "worker", _("The worker, on the person's behalf")

    plan = models.ForeignKey(OutreachPlan, on_delete=models.CASCADE, related_name="quiet_periods")
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    until = models.DateField(_("until"))
    asked_by = models.CharField(
        _("who asked"), max_length=10, choices=AskedBy.choices, default=AskedBy.PERSON
    )
    # A longer pause than the organisation allows without a coordinator: `until` stops at the
    # allowed length and the date asked for waits here for a coordinator's decision.
    requested_until = models.DateField(_("asked until"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    continuing_channels = models.JSONField(_("channels that continue"), default=list, blank=True)
    note = EncryptedTextField(_("what the person asked for"), blank=True)
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The day the workers were reminded that it ends (outreach.notices): once per period.
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    person_path = "plan__case__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("quiet period")
        verbose_name_plural = _("quiet periods")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.until}"

    @property
    def effective_until(self) -> dt.date:
        return min(self.until, self.ended_on) if self.ended_on else self.until

    def as_data(self) -> rules.QuietPeriod | None:
        if self.effective_until <= self.starts_on:
            return None
        return rules.QuietPeriod(
            self.starts_on, self.effective_until, frozenset(self.continuing_channels)
        )

    def continuing_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.continuing_channels]


class ContactRevision(TenantModel):
    """The previous version of an edited contact, kept whole (and encrypted, as it holds the
    old note) so that the history of the record can be read back."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revisions")
    previous = EncryptedTextField(editable=False)  # written by the service, as JSON
    changed_fields = models.JSONField(default=list)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    person_path = "contact__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        ordering = ["-created_at", "-id"]

    def previous_values(self) -> dict[str, Any]:
        return dict(json.loads(self.previous))


class WithdrawnContact(TenantModel):
    """A contact taken away because the record it stood for changed (an attendance corrected
    to absent): its last version kept whole and encrypted, with who withdrew it and why. A
    contact deleted as recorded in error leaves no such copy, only its audit entry."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="withdrawn_contacts"
    )
    contact_code = models.UUIDField()
    previous = EncryptedTextField()
    reason = models.CharField(max_length=100)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("withdrawn contact")
        verbose_name_plural = _("withdrawn contacts")
        ordering = ["-created_at", "-id"]

    def previous_values(self) -> dict[str, Any]:
        return dict(json.loads(self.previous))


class CloseReason(models.TextChoices):
    # "No response" is deliberately absent: nobody is closed for not answering.
    OWN_DECISION = "own_decision", _("The person's own decision after support")
    MOVED_AWAY = "moved_away", _("Moved away")
    TRANSFERRED = "transferred", _("Transferred to another service")
    DIED = "died", _("Died")
    OTHER = "other", _("Other (explain)")


class Closure(TenantModel):
    """A request to close a case, its coordinator's decision, an organisation admin's second
    approval when the person has had no two-way contact within the at-risk window, and a later
    reopening."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        AWAITING_SECOND = "awaiting_second", _("Waiting for a second approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    # Still undecided: at most one per case, shown on the approvers' Today.
    UNDECIDED = (Status.PENDING, Status.AWAITING_SECOND)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason"), max_length=20, choices=CloseReason.choices)
    reason_text = EncryptedTextField(_("details"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    second_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_decided_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_note = EncryptedTextField(_("why it is reopened"), blank=True)

    person_path = "case__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("case closure")
        verbose_name_plural = _("case closures")
        ordering = ["-created_at", "-id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "case"],
                condition=Q(status__in=["pending", "awaiting_second"]),
                name="one_undecided_closure",
            ),
        ]

    @property
    def is_undecided(self) -> bool:
        return self.status in self.UNDECIDED


class Handover(TenantModel):
    """A case passing to another worker, with what the new worker should read first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("handover note"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)

    person_path = "case__person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-id"]


class BookingQuerySet(TenantQuerySet):
    def active(self) -> "BookingQuerySet":
        return self.filter(cancelled_at__isnull=True)

    def of_worker_between(self, user: Any, first: dt.date, last: dt.date, zone: Any):  # type: ignore[no-untyped-def]
        """A worker's bookings from the start of `first` to the end of `last`, in `zone`."""
        return self.of_worker_from(user, *day_bounds(first, last, zone))

    def of_worker_from(self, user: Any, start: Any, end: Any):  # type: ignore[no-untyped-def]
        return self.active().filter(worker=user, starts_at__gte=start, starts_at__lt=end)


def day_bounds(first: dt.date, last: dt.date, zone: Any) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of `last` in `zone`."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)


class Booking(TenantModel):
    """A visit, call or meeting planned for a date and time: what Today shows at the top of
    that day, in time order, beside the due list."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="bookings", verbose_name=_("person")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who goes"),
    )
    starts_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("channel"), max_length=30, choices=LOGGED_CHANNELS)
    note = EncryptedTextField(_("what for"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = TenantManager.from_queryset(BookingQuerySet)()  # type: ignore[misc,assignment]
    unscoped = BookingQuerySet.as_manager()  # type: ignore[misc]

    class Meta(TenantModel.Meta):
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "worker", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"
