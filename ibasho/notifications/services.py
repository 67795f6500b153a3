"""The one door for notifications: `notify()` puts an item in each recipient's inbox and, where
they want it, sends an e-mail copy off the request path (`tasks.send_email`)."""

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership, Organisation, User
from ibasho.audit.services import record_audit
from ibasho.notifications.kinds import KINDS
from ibasho.notifications.models import EmailPreference, Notification

logger = logging.getLogger(__name__)


def wants_email(user_id: int, organisation_id: int, kind: str) -> bool:
    choice = (
        EmailPreference.objects.filter(organisation_id=organisation_id, user_id=user_id, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    if choice is not None:
        return choice
    registered = KINDS.get(kind)
    return registered.email_by_default if registered else False


def _recipients(
    recipients: Iterable[Membership | User], organisation: Organisation | None
) -> tuple[int, list[int]]:
    organisation_id = organisation.pk if organisation else None
    user_ids: list[int] = []
    for recipient in recipients:
        if isinstance(recipient, Membership):
            if organisation_id is None:
                organisation_id = recipient.organisation_id
            elif recipient.organisation_id != organisation_id:
                raise ValueError("A notification goes to members of one organisation.")
            user_ids.append(recipient.user_id)
        else:
            user_ids.append(recipient.pk)
    if organisation_id is None:
        raise ValueError("Name the organisation when notifying users rather than memberships.")
    return organisation_id, list(dict.fromkeys(user_ids))


def notify(
    recipients: Iterable[Membership | User],
    kind: str,
    *,
    subject: str,
    body: str = "",
    link: str = "",
    organisation: Organisation | None = None,
) -> list[Notification]:
    """Put one item in each recipient's inbox. `kind` is a key registered in
    `ibasho.notifications.kinds`; `subject` says what happened without naming anyone; `body`
    (encrypted, shown only in the app) may; `link` is a path in the app. Recipients that are
    not active staff of the organisation get nothing. An e-mail copy, holding the kind and the
    link only, is queued after the transaction commits for those who want one."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    organisation_id, user_ids = _recipients(recipients, organisation)
    staff = set(
        Membership.objects.active()
        .filter(organisation_id=organisation_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    emails = dict(User.objects.filter(pk__in=staff).values_list("pk", "email"))
    made = []
    with transaction.atomic():
        for user_id in user_ids:
            if user_id not in staff:
                continue
            email = (
                Notification.Email.PENDING
                if emails.get(user_id) and wants_email(user_id, organisation_id, kind)
                else Notification.Email.NOT_WANTED
            )
            made.append(
                Notification.objects.create(
                    organisation_id=organisation_id,
                    recipient_id=user_id,
                    kind=kind,
                    subject=subject[:200],
                    body=body,
                    link=link[:300],
                    email=email,
                )
            )
        for item in made:
            if item.email == Notification.Email.PENDING:
                transaction.on_commit(partial(queue_email, item.pk))
    return made


def queue_email(notification_id: int, run_after: Any = None) -> None:
    """Hand the e-mail to the task queue. A queue that cannot take it leaves the item pending
    (the inbox has it anyway) rather than failing the request that notified."""
    from ibasho.notifications.tasks import send_email

    try:
        task = send_email.using(run_after=run_after) if run_after else send_email
        task.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue notification e-mail %s", notification_id)


def mark_read(notification: Notification, *, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def mark_all_read(membership: Membership) -> int:
    return (
        Notification.objects.visible_to(membership)
        .unread()
        .update(read_at=timezone.now(), updated_at=timezone.now())
    )


def set_email_preferences(membership: Membership, choices: dict[str, bool]) -> None:
    """Record which kinds of notification the member wants by e-mail (audited, no values)."""
    unknown = set(choices) - set(KINDS)
    if unknown:
        raise ValidationError(_("Unknown kind of notification."))
    with transaction.atomic():
        for kind, email in choices.items():
            EmailPreference.objects.update_or_create(
                organisation_id=membership.organisation_id,
                user_id=membership.user_id,
                kind=kind,
                defaults={"email": bool(email)},
            )
        record_audit(
            "notifications.preferences",
            by=membership.user,
            organisation=membership.organisation,
            fields=sorted(choices),
        )
