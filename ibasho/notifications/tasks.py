"""E-mail copies of notifications, sent by the task worker. A failed send is retried with
growing waits; the inbox item exists whatever happens to the e-mail."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from ibasho.notifications.kinds import label_of
from ibasho.notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def email_text(item: Notification) -> tuple[str, str]:
    """Subject and body of the e-mail: the kind of notification and a link, nothing about the
    person or record (e-mail leaves the organisation's control)."""
    kind = label_of(item.kind)
    link = settings.IBASHO_BASE_URL.rstrip("/") + (item.link or "/notifications/")
    subject = f"[Ibasho] {kind}"
    body = "\n\n".join(
        [
            _("There is a new notification for you in Ibasho: %(kind)s.") % {"kind": kind},
            _("Sign in to read it: %(link)s") % {"link": link},
            _("You can choose which notifications are e-mailed to you on the preferences page."),
        ]
    )
    return subject, body


def deliver(notification_id: int) -> str:
    """Send one e-mail copy; returns the item's e-mail state afterwards."""
    item = Notification.unscoped.select_related("recipient").get(pk=notification_id)
    if item.email in (Notification.Email.SENT, Notification.Email.NOT_WANTED):
        return item.email
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = email_text(item)
    item.email_attempts += 1
    try:
        send_mail(subject, body, None, [item.recipient.email], fail_silently=False)
    except Exception as error:
        logger.warning(
            "Notification e-mail %s failed (attempt %s): %s",
            item.pk,
            item.email_attempts,
            type(error).__name__,
        )
        item.email = (
            Notification.Email.FAILED
            if item.email_attempts < MAX_ATTEMPTS
            else Notification.Email.GAVE_UP
        )
        item.save(update_fields=["email", "email_attempts"])
        if item.email == Notification.Email.FAILED and default_task_backend.supports_defer:
            from ibasho.notifications.services import queue_email

            wait = dt.timedelta(minutes=2**item.email_attempts)
            queue_email(item.pk, run_after=timezone.now() + wait)
        return item.email
    item.email = Notification.Email.SENT
    item.save(update_fields=["email", "email_attempts"])
    return item.email


@task()
def send_email(notification_id: int) -> str:
    return deliver(notification_id)
