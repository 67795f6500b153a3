import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.families import risk
from ibasho.lib import limits
from ibasho.lib.dates import add_months
from ibasho.lib.fields import EncryptedBooleanField, EncryptedCharField, EncryptedTextField
from ibasho.lib.prepared import ORGANISATION, Pending, Prepared


class RiskSettings(TenantModel):
    """An organisation's thresholds for household risk signals (design choices, not norms)."""

    parent_age_watch = models.PositiveSmallIntegerField(_("parent age to watch"), default=75)
    parent_age_high = models.PositiveSmallIntegerField(_("parent age of high concern"), default=80)
    person_age = models.PositiveSmallIntegerField(_("person's age from"), default=40)
    withdrawn_years = models.PositiveSmallIntegerField(_("years withdrawn from"), default=10)
    top_days = models.PositiveSmallIntegerField(
        _("days a parent's hospitalisation, care or death stays at the top"), default=30
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("risk settings")
        verbose_name_plural = _("risk settings")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["organisation"], name="one_risk_settings_per_org"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def thresholds(self) -> risk.Thresholds:
        return risk.Thresholds(
            parent_age_watch=self.parent_age_watch,
            parent_age_high=self.parent_age_high,
            person_age=self.person_age,
            withdrawn_years=self.withdrawn_years,
            top_days=self.top_days,
        )

    @classmethod
    def thresholds_for(cls, organisation_id: int) -> risk.Thresholds:
        return cls.thresholds_of(cls.query(organisation_id).rows())

    @classmethod
    def query(cls, organisation_id: int) -> Pending:
        """The organisation's settings, to be asked together with a page's other queries."""
        return _RISK_SETTINGS.later(organisation=organisation_id)

    @classmethod
    def thresholds_of(cls, found: list["RiskSettings"]) -> risk.Thresholds:
        """The thresholds of the settings read by `query`, or the defaults."""
        return found[0].thresholds() if found else risk.Thresholds()


# Read on every Today: compiled once (ibasho.lib.prepared).
_RISK_SETTINGS = Prepared(
    RiskSettings,
    lambda: RiskSettings.objects.filter(organisation_id=ORGANISATION),
)


class CrisisContact(TenantModel):
    """Where to turn in a crisis, shown with every open safety event of the organisation."""

    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40)
    hours = models.CharField(_("hours"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta(TenantModel.Meta):
        verbose_name = _("crisis contact")
        verbose_name_plural = _("crisis contacts")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class HouseholdCircumstances(TenantModel):
    """Facts about a household that the risk signals need and the people app does not hold."""

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="circumstances"
    )
    income_stopping = models.BooleanField(_("pension or income stopping"), default=False)
    no_outside_contact = models.BooleanField(_("no contact outside the family"), default=False)
    violence = EncryptedBooleanField(_("violence in the household"))

    class Meta(TenantModel.Meta):
        verbose_name = _("household circumstances")
        verbose_name_plural = _("household circumstances")


class ContingencyPlan(TenantModel):
    """The household's "survival" plan for the day a parent can no longer support the person."""

    class Readiness(models.TextChoices):
        NOT_DISCUSSED = "not_discussed", _("Not discussed yet")
        KNOWS_HOW = "knows_how", _("Knows how to apply")
        DOCUMENTS_READY = "documents_ready", _("Documents ready")
        APPLIED = "applied", _("Applied")
        RECEIVING = "receiving", _("Receiving public assistance")

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="contingency_plan"
    )
    who_to_notify = EncryptedTextField(_("who is told if a parent collapses"), blank=True)
    money_and_housing = EncryptedTextField(_("money and housing"), blank=True)
    utilities_and_accounts = EncryptedTextField(_("utilities and bank accounts"), blank=True)
    public_assistance = EncryptedCharField(
        _("readiness to apply for public assistance"),
        max_length=20,
        choices=Readiness.choices,
        default=Readiness.NOT_DISCUSSED,
    )
    abilities_and_wishes = EncryptedTextField(
        _("the person's own abilities and wishes"), blank=True
    )
    last_reviewed_on = models.DateField(
        _("last reviewed on"), null=True, blank=True, validators=[limits.record_day]
    )
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=6)

    class Meta(TenantModel.Meta):
        verbose_name = _("contingency plan")
        verbose_name_plural = _("contingency plans")

    @property
    def next_review_on(self) -> dt.date | None:
        if self.last_reviewed_on is None:
            return None
        return add_months(self.last_reviewed_on, self.review_every_months)

    def review_due(self, day: dt.date) -> bool:
        """Due when never reviewed or when the review interval has passed."""
        next_review = self.next_review_on
        return next_review is None or next_review <= day


class BehaviourChange(TenantModel):
    """A step the person took, as the family reported it."""

    class Kind(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("First contact with support")
        USED_SERVICE = "used_service", _("Used a service")
        OUTSIDE_HOME = "outside_home", _("Took part in something outside home")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="behaviour_changes"
    )
    reported_by = models.ForeignKey(
        "people.FamilyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("reported by"),
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(
        _("when"), default=timezone.localdate, validators=[limits.record_day]
    )
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("behaviour change")
        verbose_name_plural = _("behaviour changes")
        ordering = ["-occurred_on", "-id"]


class SafetyEventQuerySet(TenantQuerySet):
    def unresolved(self):  # type: ignore[no-untyped-def]
        return self.filter(resolved_at__isnull=True)

    def unacknowledged(self):  # type: ignore[no-untyped-def]
        return self.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)


class SafetyEvent(TenantModel):
    """Violence, suicide risk, self-neglect or a parent's collapse: escalated to a coordinator,
    who must acknowledge it, and shown at the top of the person's page until resolved."""

    class Kind(models.TextChoices):
        VIOLENCE = "violence", _("Violence")
        SUICIDE_RISK = "suicide_risk", _("Suicide risk")
        SELF_NEGLECT = "self_neglect", _("Self-neglect")
        PARENT_COLLAPSE = "parent_collapse", _("Parent's collapse")

    class Severity(models.IntegerChoices):
        CONCERN = 1, _("Concern")
        SERIOUS = 2, _("Serious")
        IMMEDIATE = 3, _("Immediate danger")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="safety_events"
    )
    kind = EncryptedCharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    # What the household risk board counts (an open event of violence), derived from the
    # encrypted kind on save so that the board can still ask for it in SQL.
    board_signal = models.BooleanField(default=False, editable=False)
    source = EncryptedCharField(
        _("source"),
        max_length=40,
        default="manual",
        help_text=_("Where it came from, e.g. manual or phq9_item9."),
    )
    description = EncryptedTextField(_("what happened"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = EncryptedTextField(_("how it was resolved"), blank=True)

    objects = TenantManager.from_queryset(SafetyEventQuerySet)()  # type: ignore[misc,assignment]
    unscoped = SafetyEventQuerySet.as_manager()  # type: ignore[misc]

    person_path = "person"  # restricted people: see accounts.tenancy

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.board_signal = self.kind == self.Kind.VIOLENCE
        if kwargs.get("update_fields") is not None and "kind" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "board_signal"}
        super().save(*args, **kwargs)

    class Meta(TenantModel.Meta):
        verbose_name = _("safety event")
        verbose_name_plural = _("safety events")
        ordering = ["-severity", "-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
