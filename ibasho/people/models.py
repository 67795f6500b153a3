import datetime as dt
import re

from django.conf import settings
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import PREFECTURE_CHOICES
from ibasho.accounts.tenancy import TenantManager, TenantModel, TenantQuerySet
from ibasho.lib import limits
from ibasho.lib.dates import age_on
from ibasho.lib.fields import EncryptedCharField, EncryptedTextField
from ibasho.lib.japanese import normalise_kana, reading_sort_key, search_term, search_text
from ibasho.lib.phones import looks_like_phone, phone_hash

# Katakana (after normalising), the long-vowel mark and the middle dot used in foreign names.
KANA_ONLY = re.compile(r"^[\u30a0-\u30ff]*$")


def kana_reading(value: str) -> None:
    """Validator: a reading in hiragana or katakana (stored as katakana)."""
    if not KANA_ONLY.match(normalise_kana(value)):
        raise ValidationError(_("Write the reading in hiragana or katakana."), code="kana")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    NOT_STATED = "not_stated", _("Not stated")


class Channel(models.TextChoices):
    """The one vocabulary of ways to reach someone: a person's preferred channels, the contact
    log and the outreach cadences use these words. Two kinds are one-sided: a person may prefer
    to be reached through the family, which is not itself a contact; group sessions and family
    consultations are logged, but nobody is asked to prefer them."""

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
    VIA_FAMILY = "via_family", _("Through the family")


PREFERABLE_CHANNELS = [
    (c.value, c.label)
    for c in Channel
    if c not in (Channel.GROUP_SESSION, Channel.FAMILY_CONSULTATION)
]
LOGGED_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.VIA_FAMILY]


class Household(TenantModel):
    name = models.CharField(_("household name"), max_length=100, help_text=_("e.g. 山田家"))
    name_kana = models.CharField(
        _("reading"), max_length=100, blank=True, validators=[kana_reading]
    )
    prefecture = models.CharField(
        _("prefecture"), max_length=2, choices=PREFECTURE_CHOICES, blank=True
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    sort_key = models.CharField(max_length=250, editable=False, default="")

    class Meta(TenantModel.Meta):
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["sort_key"]
        indexes = [models.Index(fields=["organisation", "sort_key"])]

    def __str__(self) -> str:
        return self.name

    def prepare(self) -> None:
        self.name_kana = normalise_kana(self.name_kana)
        self.sort_key = reading_sort_key(self.name_kana or self.name)

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.prepare()
        super().save(*args, **kwargs)


class FamilyMember(TenantModel):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        SIBLING = "sibling", _("Sibling")
        SPOUSE = "spouse", _("Spouse / partner")
        GRANDPARENT = "grandparent", _("Grandparent")
        CHILD = "child", _("Child")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        OTHER = "other", _("Other")

    class Health(models.TextChoices):
        WELL = "well", _("Well")
        ILL = "ill", _("Ill")
        HOSPITALISED = "hospitalised", _("In hospital")
        IN_CARE = "in_care", _("In care / needs care")
        DIED = "died", _("Died")
        MOVED_OUT = "moved_out", _("Moved out")

    class Income(models.TextChoices):
        PENSION = "pension", _("Pension")
        EMPLOYMENT = "employment", _("Employment")
        PUBLIC_ASSISTANCE = "public_assistance", _("Public assistance")
        SAVINGS = "savings", _("Savings")
        NONE = "none", _("No income")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(
        _("reading"), max_length=100, blank=True, validators=[kana_reading]
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[limits.birth_year]
    )
    # A parent going into hospital or care, or dying, puts the household on the risk board.
    SUDDEN = frozenset({Health.HOSPITALISED, Health.IN_CARE, Health.DIED})

    health = EncryptedCharField(
        _("health and care"), max_length=20, choices=Health.choices, default=Health.WELL
    )
    # Derived from the encrypted health on save, so that the board finds recent changes in SQL.
    board_signal = models.BooleanField(default=False, editable=False)
    health_changed_on = models.DateField(
        _("health status since"), null=True, blank=True, validators=[limits.past_day]
    )
    care_notes = EncryptedTextField(_("health and care notes"), blank=True)
    income_source = EncryptedCharField(
        _("income source"), max_length=20, choices=Income.choices, default=Income.UNKNOWN
    )
    contactable = models.BooleanField(_("can be contacted"), default=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    # The keyed hash of the phone's digits, so that a search by number finds the family.
    phone_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta(TenantModel.Meta):
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["birth_year", "id"]
        # Finds the parents whose health just changed (the risk board and Today).
        indexes = [
            models.Index(fields=["organisation", "health_changed_on"]),
            models.Index(fields=["organisation", "phone_hash"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"

    def age_on(self, day: dt.date) -> int | None:
        return age_on(day, None, self.birth_year)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @classmethod
    def refresh_search_hashes(cls, organisation_id: int | None = None) -> int:
        """Hash every phone again with the current key (after the field keys rotate, or an
        organisation's archive is imported)."""
        return _rehash(cls, "phone", "phone_hash", organisation_id)

    def prepare(self) -> None:
        """Derive the stored reading, board signal and phone hash (also used by bulk loads)."""
        self.name_kana = normalise_kana(self.name_kana)
        self.board_signal = self.health in self.SUDDEN
        self.phone_hash = phone_hash(self.phone)

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.prepare()
        fields = kwargs.get("update_fields")
        if fields is not None and "health" in fields:
            kwargs["update_fields"] = fields = {*fields, "board_signal"}
        if fields is not None and "phone" in fields:
            kwargs["update_fields"] = {*fields, "phone_hash"}
        super().save(*args, **kwargs)


class PersonQuerySet(TenantQuerySet):
    def search(self, query: str):  # type: ignore[no-untyped-def]
        """People by name or reading, by a family member's name or reading, by household name;
        a query that is a phone number finds it among the people's and their families' phones
        (an exact match of the digits, through the keyed hash: see `ibasho.lib.phones`)."""
        term = search_term(query)
        if not term:
            return self
        if looks_like_phone(query):
            digest = phone_hash(query)
            return self.filter(
                models.Q(pk__in=Phone.objects.filter(number_hash=digest).values("person_id"))
                | models.Q(
                    household_id__in=FamilyMember.objects.filter(phone_hash=digest).values(
                        "household_id"
                    )
                )
            )
        named = models.Q(name__contains=term) | models.Q(name_kana__contains=term)
        households = Household.objects.filter(named).values("pk")
        members = FamilyMember.objects.filter(named).values("household_id")
        return self.filter(
            models.Q(search_text__contains=term)
            | models.Q(household_id__in=households)
            | models.Q(household_id__in=members)
        )

    def with_open_case(self):  # type: ignore[no-untyped-def]
        return self.filter(cases__status=Case.Status.OPEN).distinct()


def full_name(family_name: str, given_name: str) -> str:
    """A name as the pages print it, family name first; for lists that read names as values."""
    return f"{family_name} {given_name}".strip()


class Person(TenantModel):
    """Someone in withdrawal. Often known only through their family for years."""

    class Living(models.TextChoices):
        WITH_PARENTS = "with_parents", _("With parents")
        ALONE = "alone", _("Alone")
        WITH_SPOUSE = "with_spouse", _("With spouse / partner")
        WITH_SIBLINGS = "with_siblings", _("With siblings")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    class ReferralSource(models.TextChoices):
        FAMILY = "family", _("Family")
        SCHOOL = "school", _("School")
        WELFARE_COMMISSIONER = "welfare_commissioner", _("Welfare commissioner (民生委員)")
        ELDERLY_CARE_HUB = "elderly_care_hub", _("Community elderly-care hub")
        CLINIC = "clinic", _("Clinic / hospital")
        SELF = "self", _("The person themself")
        OTHER_ORGANISATION = "other_organisation", _("Another organisation")
        NEIGHBOUR = "neighbour", _("Neighbour")
        OTHER = "other", _("Other")

    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50, blank=True)
    family_name_kana = models.CharField(
        _("family name reading"), max_length=50, validators=[kana_reading]
    )
    given_name_kana = models.CharField(
        _("given name reading"), max_length=50, blank=True, validators=[kana_reading]
    )
    # Encrypted, so not searched (names and readings are: see docs/security.md).
    preferred_name = EncryptedCharField(_("how they like to be called"), max_length=50, blank=True)
    birth_date = models.DateField(
        _("birth date"), null=True, blank=True, validators=[limits.birth_day]
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[limits.birth_year]
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    prefecture = models.CharField(
        _("prefecture"), max_length=2, choices=PREFECTURE_CHOICES, blank=True
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    living_situation = models.CharField(
        _("living situation"), max_length=20, choices=Living.choices, default=Living.UNKNOWN
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("household"),
    )
    withdrawal_since = models.DateField(
        _("withdrawn since (approximately)"),
        null=True,
        blank=True,
        help_text=_("The first day of the month or year is enough."),
        validators=[limits.past_day],
    )
    earlier_episodes = EncryptedTextField(_("earlier episodes"), blank=True)
    own_words = EncryptedTextField(_("in their own words"), blank=True)
    goals = EncryptedTextField(_("their goals"), blank=True)
    things_to_avoid = EncryptedTextField(
        _("things to avoid"),
        blank=True,
        help_text=_("e.g. don't ring the bell, leave a letter"),
    )
    preferred_channels = models.JSONField(_("preferred contact channels"), default=list, blank=True)
    referral_source = models.CharField(
        _("referral source"), max_length=30, choices=ReferralSource.choices, blank=True
    )
    sort_key = models.CharField(max_length=250, editable=False, default="")
    search_text = models.CharField(max_length=500, editable=False, default="")

    objects = TenantManager.from_queryset(PersonQuerySet)()  # type: ignore[misc,assignment]
    unscoped = PersonQuerySet.as_manager()  # type: ignore[misc]

    # Free text held encrypted; lists defer it, since decrypting costs more than reading.
    ENCRYPTED_FIELDS = ("earlier_episodes", "own_words", "goals", "things_to_avoid")

    person_path = ""  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["organisation", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_name)

    @property
    def full_name_kana(self) -> str:
        return full_name(self.family_name_kana, self.given_name_kana)

    def age_on(self, day: dt.date) -> int | None:
        return age_on(day, self.birth_date, self.birth_year)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def prepare(self) -> None:
        """Derive the stored reading, sort key and search text (also used by bulk loads)."""
        self.family_name_kana = normalise_kana(self.family_name_kana)
        self.given_name_kana = normalise_kana(self.given_name_kana)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        self.sort_key = reading_sort_key(self.family_name_kana, self.given_name_kana)
        self.search_text = search_text(
            self.family_name + self.given_name,
            self.family_name_kana + self.given_name_kana,
        )

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.prepare()
        super().save(*args, **kwargs)

    def preferred_channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.preferred_channels]


def benefit_day(value: dt.date) -> None:
    """Validator: a day a certificate or benefit starts or ends (from 1900 to ten years on)."""
    limits.check_day(
        value, limits.EARLIEST_PAST_DAY, timezone.localdate() + limits.PLANNING_HORIZON
    )


POSTCODE = re.compile(r"^\d{3}-?\d{4}$")


def postcode(value: str) -> None:
    """Validator: a Japanese postcode, 123-4567 or 1234567."""
    if value and not POSTCODE.match(value):
        raise ValidationError(
            _("Enter a postcode of seven digits, such as 123-4567."), code="postcode"
        )


def phone_number(value: str) -> None:
    """Validator: a phone number written with digits, spaces, hyphens, brackets or a leading +."""
    if value and not re.match(r"^\+?[\d\s\-()]{6,30}$", value):
        raise ValidationError(
            _("Enter a phone number with digits and hyphens, such as 090-1234-5678."),
            code="phone",
        )


class ContactDetails(TenantModel):
    """How to reach a person, and whom to call for them. Every value is held encrypted; the
    prefecture and municipality of the address are the person's own (plain, for the figures).
    Shown only on audited pages, never to the analyst role."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="contact_details")
    postcode = EncryptedCharField(_("postcode"), max_length=8, blank=True, validators=[postcode])
    street = EncryptedCharField(
        _("town, street and building"), max_length=200, blank=True,
        help_text=_("e.g. 本町1-2-3 さくら荘201"),
    )  # fmt: skip
    directions = EncryptedTextField(
        _("directions for a visit"), blank=True,
        help_text=_("Without a map: landmarks, which door, where to park."),
    )  # fmt: skip
    email = EncryptedCharField(
        _("e-mail"), max_length=254, blank=True, validators=[validators.EmailValidator()]
    )
    line_name = EncryptedCharField(_("LINE display name"), max_length=100, blank=True)
    emergency_name = EncryptedCharField(_("emergency contact"), max_length=100, blank=True)
    emergency_relation = EncryptedCharField(
        _("emergency contact's relation"), max_length=50, blank=True
    )
    emergency_phone = EncryptedCharField(
        _("emergency contact's phone"), max_length=30, blank=True, validators=[phone_number]
    )
    medical_name = EncryptedCharField(
        _("doctor or clinic (主治医・医療機関)"), max_length=200, blank=True
    )
    medical_phone = EncryptedCharField(
        _("doctor or clinic's phone"), max_length=30, blank=True, validators=[phone_number]
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return str(_("contact details"))


class Phone(TenantModel):
    """One of a person's phone numbers, with a label (携帯, 自宅, 母の携帯…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    label = EncryptedCharField(_("label"), max_length=30, blank=True)
    number = EncryptedCharField(_("phone number"), max_length=30, validators=[phone_number])
    number_hash = models.CharField(max_length=64, editable=False, default="")
    position = models.PositiveSmallIntegerField(default=0, editable=False)

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organisation", "number_hash"])]

    def __str__(self) -> str:
        return str(_("phone"))

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.number_hash = phone_hash(self.number)
        super().save(*args, **kwargs)

    @classmethod
    def refresh_search_hashes(cls, organisation_id: int | None = None) -> int:
        """Hash every number again with the current key (after the field keys rotate, or an
        organisation's archive is imported)."""
        return _rehash(cls, "number", "number_hash", organisation_id)


# Phone hashes written again per UPDATE statement: one statement per row made a large archive's
# import wait on its phone numbers.
REHASH_BATCH = 1000


def _rehash(model: type[models.Model], field: str, column: str, organisation_id: int | None) -> int:
    rows = model._base_manager.values_list("pk", field)  # type: ignore[attr-defined]
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    count = 0
    batch: list[models.Model] = []
    for pk, value in rows.iterator(chunk_size=REHASH_BATCH):
        batch.append(model(pk=pk, **{column: phone_hash(value or "")}))
        if len(batch) == REHASH_BATCH:
            model._base_manager.bulk_update(batch, [column])  # type: ignore[attr-defined]
            count, batch = count + len(batch), []
    if batch:
        model._base_manager.bulk_update(batch, [column])  # type: ignore[attr-defined]
    return count + len(batch)


class Benefit(TenantModel):
    """A certificate or benefit the person holds (手帳, 年金, 生活保護), with its dates."""

    class Kind(models.TextChoices):
        DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate (障害者手帳)")
        DISABILITY_PENSION = "disability_pension", _("Disability pension (障害年金)")
        PUBLIC_ASSISTANCE = "public_assistance", _("Public assistance (生活保護)")
        OTHER = "other", _("Other benefit or certificate")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefits")
    kind = EncryptedCharField(_("kind"), max_length=30, choices=Kind.choices)
    grade = EncryptedCharField(
        _("grade or detail"), max_length=100, blank=True, help_text=_("e.g. 精神 2級")
    )
    valid_from = models.DateField(_("from"), null=True, blank=True, validators=[benefit_day])
    valid_until = models.DateField(_("until"), null=True, blank=True, validators=[benefit_day])
    position = models.PositiveSmallIntegerField(default=0, editable=False)

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("benefit or certificate")
        verbose_name_plural = _("benefits and certificates")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Case(TenantModel):
    """An organisation's support relationship with a person."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    workers: models.ManyToManyField = models.ManyToManyField(  # type: ignore[type-arg]
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        related_name="cases",
        verbose_name=_("assigned workers"),
    )

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseAssignment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    is_lead = models.BooleanField(_("lead worker"), default=True)
    since = models.DateField(default=timezone.localdate)

    objects = TenantManager.from_queryset(TenantQuerySet)()
    unscoped = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case", "worker"], name="one_assignment_per_worker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} → {self.case}"


class Consent(TenantModel):
    """Consent per purpose, given by the person or by a family member on their behalf."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("Being contacted")
        SHARING = "sharing", _("Sharing with another organisation")
        STATISTICS = "statistics", _("Use in statistics")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_by_person = models.BooleanField(_("given by the person themself"), default=True)
    proxy = models.ForeignKey(
        FamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("given by (family member as proxy)"),
    )
    given_on = models.DateField(
        _("given on"), default=timezone.localdate, validators=[limits.record_day]
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    person_path = "person"  # restricted people: see accounts.tenancy

    class Meta(TenantModel.Meta):
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["purpose", "-given_on"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Restriction(TenantModel):
    """A person whose records only their assigned workers and the coordinators open; anyone
    else with a role may open them by breaking the glass (`GlassBreak`)."""

    class Reason(models.TextChoices):
        STAFF_RELATIVE = "staff_relative", _("A relative or acquaintance of a member of staff")
        HIDING = "hiding", _("Hiding from a violent relative or partner")
        PUBLIC_FIGURE = "public_figure", _("Known in the community")
        OTHER = "other", _("Another reason")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="restriction")
    # Why a record is restricted says something about the person: kept encrypted.
    reason = EncryptedTextField(_("reason"), choices=Reason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    person_path = "person"

    class Meta(TenantModel.Meta):
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")

    def __str__(self) -> str:
        return str(_("restricted record"))


class GlassBreak(TenantModel):
    """A member of staff opened a restricted person they were not assigned to, giving a
    reason: their access lasts until `until`, and the coordinators were told."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    until = models.DateTimeField(_("access until"))

    class Meta(TenantModel.Meta):
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        indexes = [models.Index(fields=["organisation", "user", "until"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.until:%Y-%m-%d %H:%M}"


class PossibleDuplicate(TenantModel):
    """Two records that may be the same person (same reading and birth date or year, or same
    reading and municipality), found when a person is recorded. A coordinator decides: the same
    person (the records are merged, history kept) or not the same (never asked again)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        SAME = "same", _("Same person (merged)")
        NOT_SAME = "not_same", _("Not the same person")

    class Reason(models.TextChoices):
        READING_BIRTH = "reading_birth", _("Same reading and birth date or year")
        READING_MUNICIPALITY = "reading_municipality", _("Same reading and municipality")

    # The earlier record first; `other` is the one recorded later.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    # The later record's code, kept once it has been merged into `person` and removed.
    other_code = models.UUIDField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-created_at", "-id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "person", "other"], name="people_duplicate_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.other_id}"

    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]
