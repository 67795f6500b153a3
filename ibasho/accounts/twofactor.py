"""The second factor: an authenticator app (TOTP) with one-time recovery codes (django-otp's
static device). Admins and coordinators must have one, and every member of an organisation
that asks for it; a few sign-ins are allowed before enrolment is enforced."""

import base64
import io
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ibasho.accounts.models import Membership, Role, User
from ibasho.accounts.services import audit_account

RECOVERY_CODES = 10
APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery codes"


def required_for(user: User) -> bool:
    """Whether any of the user's places asks for a second factor (platform operators, who reach
    every organisation in the Django admin, always need one)."""
    if user.is_superuser or user.is_staff:
        return True
    places = Membership.objects.active().filter(user_id=user.pk)
    return (
        places.filter(role__in=[Role.ADMIN, Role.COORDINATOR]).exists()
        or places.filter(organisation__second_factor_for_all=True).exists()
    )


def has_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def grace_left(user: User) -> int:
    return max(0, settings.IBASHO_SECOND_FACTOR_GRACE_LOGINS - user.logins_without_second_factor)


def count_login_without_factor(user: User) -> int:
    """One more sign-in without a second factor; the grace left after it."""
    User.objects.filter(pk=user.pk).update(
        logins_without_second_factor=F("logins_without_second_factor") + 1
    )
    user.refresh_from_db(fields=["logins_without_second_factor"])
    return settings.IBASHO_SECOND_FACTOR_GRACE_LOGINS - user.logins_without_second_factor


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled (a new secret until one is confirmed)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as authenticator apps type it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{device.user.get_username()}")
    issuer = quote(settings.OTP_TOTP_ISSUER)
    return (
        f"otpauth://totp/{label}?secret={secret_of(device)}&issuer={issuer}"
        f"&digits={device.digits}&period={device.step}"
    )


def qr_svg(text: str) -> SafeString:
    """The QR code as inline SVG: drawn here, no outside service sees the secret."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", xmldecl=False, nl=False, scale=5, dark="#000", light="#fff"
    )
    return mark_safe(out.getvalue().decode())  # noqa: S308 - our own SVG, no user text in markup


def confirm(device: TOTPDevice, code: str, *, by: Any) -> list[str] | None:
    """Confirm the authenticator with a code from it; the new recovery codes, or None when the
    code is wrong. Any older factor of the account is replaced."""
    if not device.verify_token(code.strip()):
        return None
    with transaction.atomic():
        user = device.user
        TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        User.objects.filter(pk=user.pk).update(logins_without_second_factor=0)
        audit_account("accounts.second_factor.enrolled", user, by=by, fields=["device"])
    return codes


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def reset(user: User, *, by: Any) -> None:
    """Remove the account's second factor (a lost phone): its sessions end, and it must enrol
    again at its next sign-in, with no grace."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        User.objects.filter(pk=user.pk).update(
            logins_without_second_factor=settings.IBASHO_SECOND_FACTOR_GRACE_LOGINS,
            session_generation=F("session_generation") + 1,
        )
        audit_account(
            "accounts.second_factor.reset", user, by=by, fields=["device", "session_generation"]
        )
