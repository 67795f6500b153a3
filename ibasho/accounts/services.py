"""Staff management: roles, memberships and invitations. Every change writes an audit entry
naming the fields it changed; an organisation always keeps at least one active admin."""

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ibasho.accounts.models import Invitation, Membership, Organisation, Role, User
from ibasho.audit.services import record_audit
from ibasho.lib.japanese import normalise_kana


def _lock_staff(organisation: Organisation) -> None:
    """Serialise staff changes of one organisation, so that two admins demoting each other at
    the same moment cannot both pass the last-admin check."""
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")


def _keeps_an_admin(membership: Membership, *, role: str, is_active: bool) -> None:
    if role == Role.ADMIN and is_active:
        return
    if not (membership.is_active and membership.user.is_active and membership.is_admin):
        return  # not an active admin now, so the change cannot lose one
    others = Membership.objects.admins().filter(organisation_id=membership.organisation_id)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "An organisation needs at least one active admin. Make someone else an admin "
                "before changing this membership."
            ),
            code="last_admin",
        )


def _already_member(organisation: Organisation, user: User) -> ValidationError | None:
    found = Membership.objects.filter(organisation=organisation, user=user).first()
    if found is None:
        return None
    if found.is_active:
        return ValidationError(
            _("%(name)s is already a member of this organisation.") % {"name": user},
            code="already_member",
        )
    return ValidationError(
        _("%(name)s already has a deactivated membership here; reactivate it on the staff page.")
        % {"name": user},
        code="inactive_member",
    )


def add_membership(organisation: Organisation, user: User, role: str, *, by: Any) -> Membership:
    """Seat an existing account in an organisation (operators do this in the admin site; an
    organisation's own admins invite instead)."""
    _check_role(role)
    with transaction.atomic():
        _lock_staff(organisation)
        if error := _already_member(organisation, user):
            raise error
        membership = Membership.objects.create(organisation=organisation, user=user, role=role)
        record_audit(
            "accounts.membership.created",
            by=by,
            target=membership,
            fields=["role"],
        )
    return membership


def change_role(membership: Membership, role: str, *, by: Any) -> bool:
    """Give a member another role. False when the role was already theirs."""
    _check_role(role)
    with transaction.atomic():
        _lock_staff(membership.organisation)
        membership.refresh_from_db(fields=["role", "is_active"])
        if membership.role == role:
            return False
        _keeps_an_admin(membership, role=role, is_active=membership.is_active)
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(
            "accounts.membership.role_changed",
            by=by,
            target=membership,
            fields=["role"],
        )
    return True


def set_membership_active(membership: Membership, active: bool, *, by: Any) -> bool:
    """Deactivate (the member loses access to this organisation, their API tokens stop
    working) or reactivate a membership. False when it was already so."""
    with transaction.atomic():
        _lock_staff(membership.organisation)
        membership.refresh_from_db(fields=["role", "is_active"])
        if membership.is_active == active:
            return False
        _keeps_an_admin(membership, role=membership.role, is_active=active)
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        record_audit(
            "accounts.membership.reactivated" if active else "accounts.membership.deactivated",
            by=by,
            target=membership,
            fields=["is_active"],
        )
    return True


# Letters and digits that cannot be mistaken for one another when read out or copied by hand.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password(user: User) -> str:
    """A random password (about 79 bits, in four groups) that passes the installation's
    validators, shown to the admin once."""
    while True:
        password = "-".join(
            "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4)
        )
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def create_staff_account(
    organisation: Organisation,
    *,
    username: str,
    display_name: str,
    display_name_kana: str = "",
    email: str = "",
    role: str,
    by: Any,
    send_link: bool = False,
    site_url: str = "",
) -> tuple[Membership, str | None]:
    """A new account with a membership of `organisation`, and its one-time password (only its
    hash is stored; the admin passes it on and the new colleague changes it). With `send_link`
    there is no password at all: the new colleague receives an e-mail with a single-use link
    (valid PASSWORD_RESET_TIMEOUT) to choose their own, and None is returned."""
    _check_role(role)
    if send_link and not email:
        raise ValidationError(
            {"email": _("Enter the e-mail address the link is sent to.")}, code="no_email"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("This username is taken; choose another one.")}, code="taken"
        )
    user = User(
        username=username,
        display_name=display_name,
        display_name_kana=normalise_kana(display_name_kana),
        email=email,
    )
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        password: str | None = None
        if send_link:
            user.set_unusable_password()
        else:
            password = one_time_password(user)
            user.set_password(password)
            user.must_change_password = True
        user.save()
        membership = Membership.objects.create(organisation=organisation, user=user, role=role)
        record_audit(
            "accounts.membership.created",
            by=by,
            target=membership,
            fields=["display_name", "display_name_kana", "email", "password", "role", "username"],
        )
        if send_link:
            transaction.on_commit(lambda: send_welcome_link(membership, site_url))
    return membership, password


def send_welcome_link(membership: Membership, site_url: str) -> None:
    """E-mail a new colleague the link to choose their password (Django's reset token: it
    works once, and only until PASSWORD_RESET_TIMEOUT)."""
    user = membership.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    body = render_to_string(
        "registration/welcome_email.txt",
        {"user": user, "organisation": membership.organisation, "link": site_url + path},
    )
    subject = _("Ibasho: your account at %(organisation)s") % {
        "organisation": membership.organisation
    }
    send_mail(subject, body, None, [user.email])


def _account_for(invited_as: str) -> User | None:
    """The one active account answering to a username or e-mail address, if there is one."""
    found = list(
        User.objects.filter(Q(username=invited_as) | Q(email__iexact=invited_as), is_active=True)[
            :2
        ]
    )
    exact = [user for user in found if user.username == invited_as]
    if exact:
        return exact[0]
    return found[0] if len(found) == 1 else None


def invite(
    organisation: Organisation, invited_as: str, role: str, *, by: Any, site_url: str = ""
) -> Invitation:
    """Invite an existing account by username or e-mail address. The invitation is recorded
    whether or not such an account exists, so the admin learns nothing about other
    organisations' staff; only the account's owner can turn it into a membership."""
    _check_role(role)
    invited_as = invited_as.strip()
    if not invited_as:
        raise ValidationError(
            {"invited_as": _("Enter a username or e-mail address.")}, code="required"
        )
    user = _account_for(invited_as)
    with transaction.atomic():
        _lock_staff(organisation)
        if user is not None and (error := _already_member(organisation, user)):
            raise error
        pending = Invitation.objects.pending().filter(organisation=organisation)
        if pending.filter(invited_as__iexact=invited_as).exists():
            raise ValidationError(
                _("There is already a pending invitation for %(who)s.") % {"who": invited_as},
                code="already_invited",
            )
        invitation = Invitation.objects.create(
            organisation=organisation,
            invited_as=invited_as,
            user=user,
            role=role,
            invited_by=by if getattr(by, "pk", None) else None,
        )
        record_audit(
            "accounts.invitation.sent",
            by=by,
            target=invitation,
            fields=["invited_as", "role"],
        )
        if user is not None and user.email and site_url:
            transaction.on_commit(lambda: _tell_invitee(invitation, user, site_url))
    return invitation


def _tell_invitee(invitation: Invitation, user: User, site_url: str) -> None:
    """An e-mail to the invited account's own address, with the link to its invitations."""
    body = render_to_string(
        "registration/invitation_email.txt",
        {"invitation": invitation, "link": site_url + reverse("invitation_list")},
    )
    subject = _("Ibasho: an invitation from %(organisation)s") % {
        "organisation": invitation.organisation
    }
    send_mail(subject, body, None, [user.email])


def _answer(invitation: Invitation, state: str, action: str, *, by: Any) -> None:
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation has already been answered."), code="answered")
    invitation.state = state
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    record_audit(
        action, by=by, organisation=invitation.organisation, target=invitation, fields=["state"]
    )


def accept_invitation(invitation: Invitation, *, by: Any) -> Membership:
    """The invited account's owner takes the offered place."""
    if by is None or invitation.user_id != by.pk:
        raise ValidationError(_("This invitation is not addressed to you."), code="not_yours")
    with transaction.atomic():
        _lock_staff(invitation.organisation)
        invitation.refresh_from_db(fields=["state"])
        if error := _already_member(invitation.organisation, by):
            raise error
        _answer(invitation, Invitation.State.ACCEPTED, "accounts.invitation.accepted", by=by)
        # Any other pending invitation from the same organisation is answered by this one.
        Invitation.objects.pending().filter(
            organisation_id=invitation.organisation_id, user=by
        ).update(state=Invitation.State.ACCEPTED, answered_at=invitation.answered_at)
        membership = Membership.objects.create(
            organisation=invitation.organisation, user=by, role=invitation.role
        )
        record_audit(
            "accounts.membership.created",
            by=by,
            target=membership,
            fields=["role"],
        )
    return membership


def decline_invitation(invitation: Invitation, *, by: Any) -> None:
    if by is None or invitation.user_id != by.pk:
        raise ValidationError(_("This invitation is not addressed to you."), code="not_yours")
    with transaction.atomic():
        invitation.refresh_from_db(fields=["state"])
        _answer(invitation, Invitation.State.DECLINED, "accounts.invitation.declined", by=by)


def withdraw_invitation(invitation: Invitation, *, by: Any) -> None:
    with transaction.atomic():
        invitation.refresh_from_db(fields=["state"])
        _answer(invitation, Invitation.State.WITHDRAWN, "accounts.invitation.withdrawn", by=by)


def audit_account(action: str, user: User, *, by: Any, fields: list[str]) -> None:
    """An account-wide change (password, second factor, sessions) is written to the trail of
    every organisation the account works in, against its membership there."""
    for membership in Membership.objects.filter(user_id=user.pk).select_related("organisation"):
        record_audit(action, by=by, target=membership, fields=fields)


def end_sessions(user: User, *, by: Any) -> None:
    """Sign the account out everywhere: every session it holds stops being accepted."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit_account("accounts.sessions.ended", user, by=by, fields=["session_generation"])


def password_changed(user: User, *, by: Any, issued: bool = False) -> None:
    """Record a password change; an admin-issued one must be replaced at the next sign-in."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=issued)
        user.must_change_password = issued
        audit_account(
            "accounts.password.issued" if issued else "accounts.password.changed",
            user,
            by=by,
            fields=["password"],
        )


def issue_password(membership: Membership, *, by: Any) -> str:
    """An admin gives a member a new one-time password: every session of that account ends, and
    the member must choose their own password at the next sign-in."""
    user = membership.user
    with transaction.atomic():
        password = one_time_password(user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_account("accounts.password.issued", user, by=by, fields=["password"])
    return password


def unlock(membership: Membership, *, by: Any) -> int:
    """Lift a sign-in lock on a member's account; the number of failed attempts forgotten."""
    from axes.models import AccessAttempt

    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(username=membership.user.get_username())
        count = attempts.count()
        attempts.delete()
        record_audit("accounts.lock.lifted", by=by, target=membership, fields=["failures"])
    return count


def set_security(
    organisation: Organisation, *, second_factor_for_all: bool, idle_timeout_minutes: int, by: Any
) -> None:
    """An organisation's own security settings: a second factor for every member, and how
    long an idle session lasts (5 to 240 minutes)."""
    organisation.second_factor_for_all = second_factor_for_all
    organisation.idle_timeout_minutes = idle_timeout_minutes
    organisation.full_clean(exclude=["key_check"])
    with transaction.atomic():
        organisation.save(update_fields=["second_factor_for_all", "idle_timeout_minutes"])
        record_audit(
            "accounts.organisation.security_changed",
            by=by,
            organisation=organisation,
            target=organisation,
            fields=["idle_timeout_minutes", "second_factor_for_all"],
        )
