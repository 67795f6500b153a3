"""API tokens as their owners and admins manage them (issued, revoked, both audited)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import TOKEN_MAX_DAYS, ApiToken, Membership
from ibasho.audit.services import record_audit
from ibasho.lib import limits


def _check_scope(scope: str) -> None:
    if scope not in ApiToken.Scope.values:
        raise ValidationError(_("Choose read or write."), code="scope")


def _check_days(days: int) -> None:
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token lives from 1 to %(n)s days.") % {"n": TOKEN_MAX_DAYS}, code="days"
        )


def issue_token(
    membership: Membership, *, name: str, scope: str, days: int, by: Any
) -> tuple[ApiToken, str]:
    """A new token for `membership` and its raw value, shown once."""
    limits.validate(
        name=(lambda v: limits.check_text(v, max_length=100, lines=False), name),
        scope=(_check_scope, scope),
        days=(_check_days, days),
    )
    with transaction.atomic():
        token, raw = ApiToken.issue(membership, name=name, scope=scope, days=days)
        record_audit(
            "accounts.token.issued", by=by, target=token, fields=["expires_at", "name", "scope"]
        )
    return token, raw


def revoke_token(token: ApiToken, *, by: Any) -> bool:
    """Stop a token working at once. False when it was already revoked."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            token.refresh_from_db(fields=["revoked_at"])
            record_audit("accounts.token.revoked", by=by, target=token, fields=["revoked_at"])
    return bool(updated)
