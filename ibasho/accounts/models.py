import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ibasho.lib.fields import EncryptedTextField
from ibasho.lib.japanese import normalise_kana

KEY_CHECK_TEXT = "ibasho-key-check"

PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
]  # fmt: skip
PREFECTURE_CHOICES = [(f"{i:02d}", name) for i, name in enumerate(PREFECTURES, start=1)]


def staff_name(display_name: str, first_name: str, last_name: str, username: str) -> str:
    """How a member of staff is named everywhere (`str(user)`), from the columns of
    `User.NAME_FIELDS`: their display name, else their full name, else their username."""
    return display_name or f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A member of staff (or later a family member or the person through a portal)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    display_name_kana = models.CharField(_("display name reading"), max_length=100, blank=True)
    # A password an admin issued (or a reset) must be replaced at the next sign-in.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Sign-ins since a second factor became required and none was enrolled (the grace period).
    logins_without_second_factor = models.PositiveSmallIntegerField(default=0, editable=False)
    # Raised to end every session of the account at once (sign out everywhere, factor reset).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    # What `str(user)` reads: enough to name someone from a values() query (`staff_name`).
    NAME_FIELDS = ("display_name", "first_name", "last_name", "username")

    def __str__(self) -> str:
        return staff_name(self.display_name, self.first_name, self.last_name, self.username)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Sessions hold this hash; changing the password or the generation ends them all."""
        return salted_hmac(
            "ibasho.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Organisation(models.Model):
    """A tenant: an NPO, a regional hikikomori support centre or a municipal office."""

    class Kind(models.TextChoices):
        NPO = "npo", _("NPO / social enterprise")
        REGIONAL_CENTRE = "regional_centre", _("Regional hikikomori support centre")
        MUNICIPAL = "municipal", _("Municipal office")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name reading"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NPO)
    prefecture = models.CharField(_("prefecture"), max_length=2, choices=PREFECTURE_CHOICES)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=4
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    # Admins and coordinators always need a second factor; this asks it of every member.
    second_factor_for_all = models.BooleanField(
        _("second factor required for every member"), default=False
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("sign out after this many idle minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A known value encrypted with the field keys, decrypted at start-up to prove the keys.
    key_check = EncryptedTextField(default=KEY_CHECK_TEXT, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.name_kana = normalise_kana(self.name_kana)
        super().save(*args, **kwargs)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or "Asia/Tokyo")

    def today(self) -> dt.date:
        """The date where the organisation works: every "today" in Ibasho is this one."""
        return timezone.now().astimezone(self.zone).date()


class Role(models.TextChoices):
    WORKER = "worker", _("Support worker")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Organisation admin")
    ANALYST = "analyst", _("Analyst (aggregates only)")


# Roles that may read personal records.
CASE_ROLES = (Role.WORKER, Role.COORDINATOR, Role.ADMIN)
SUPERVISOR_ROLES = (Role.COORDINATOR, Role.ADMIN)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)

    def staff_of(
        self, organisation_id: int, roles: Iterable[str] = CASE_ROLES
    ) -> "MembershipQuerySet":
        """The one query for "active staff of this organisation" (by default the roles that
        work with people): every rule that asks whether someone may act here uses it."""
        return self.active().filter(organisation_id=organisation_id, role__in=list(roles))

    def holds(self, user: Any, organisation_id: int, roles: Iterable[str] = CASE_ROLES) -> bool:
        """Whether `user` (or a user id) is active staff of the organisation in one of `roles`."""
        user_id = getattr(user, "pk", user)
        return self.staff_of(organisation_id, roles).filter(user_id=user_id).exists()

    def visible_to(self, membership: "Membership | None") -> "MembershipQuerySet":
        """An organisation's staff list, read by its admins only."""
        if membership is None or not membership.is_admin:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def admins(self) -> "MembershipQuerySet":
        return self.active().filter(role=Role.ADMIN)


class Membership(models.Model):
    """A user's place in one organisation, with one role there."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org"),
            models.UniqueConstraint(fields=["organisation", "code"], name="membership_org_code"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def reads_personal_data(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(state=Invitation.State.PENDING)

    def visible_to(self, membership: Membership | None) -> "InvitationQuerySet":
        """The invitations an organisation sent, read by its admins only."""
        if membership is None or not membership.is_admin:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def addressed_to(self, user: object) -> "InvitationQuerySet":
        return self.filter(user_id=getattr(user, "pk", None) or 0)


class Invitation(models.Model):
    """An organisation's offer of a place to an existing account, which becomes a membership
    only when that account's owner accepts it.

    The admin types a username or e-mail address (`invited_as`). When no active account
    answers to it, the invitation is kept all the same with no `user`, so that the admin's
    list looks the same whether or not the account exists elsewhere."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    invited_as = models.CharField(_("username or e-mail address"), max_length=254)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="invitation_org_code")
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.invited_as} @ {self.organisation} ({self.get_state_display()})"


def _token_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=TOKEN_DAYS)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# A token lives this many days unless its maker chooses otherwise.
TOKEN_DAYS = 90
TOKEN_MAX_DAYS = 366


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            membership__is_active=True,
            membership__user__is_active=True,
        )

    def visible_to(self, membership: Membership | None) -> "ApiTokenQuerySet":
        """A member's own tokens in the organisation; an admin sees every member's."""
        if membership is None:
            return self.none()
        mine = self.filter(organisation_id=membership.organisation_id)
        return mine if membership.is_admin else mine.filter(membership=membership)


class ApiToken(models.Model):
    """A bearer token for integrations. Only its hash is stored; the token is shown once. A
    read token may only read; writes need a write token."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires"), default=_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @classmethod
    def issue(
        cls,
        membership: Membership,
        name: str = "",
        *,
        scope: str = Scope.WRITE,
        days: int = TOKEN_DAYS,
    ) -> tuple["ApiToken", str]:
        """A new token and its raw value (callers that audit use accounts.services.issue_token)."""
        raw = "ibs_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=membership.organisation,
            membership=membership,
            name=name,
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
            key_hash=hash_token(raw),
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.WRITE

    def __str__(self) -> str:
        return f"{self.membership} {self.name}".strip()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
