import pytest
from django.core import mail
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.notifications import kinds, services, tasks
from ibasho.notifications.models import EmailPreference, Notification

KIND = "example"


@pytest.fixture(autouse=True)
def example_kind():
    kinds.register(KIND, "Example happened")
    yield
    kinds.KINDS.pop(KIND, None)


@pytest.fixture
def with_emails(worker_a, coordinator_a):
    for membership in (worker_a, coordinator_a):
        membership.user.email = f"{membership.user.username}@example.org"
        membership.user.save()


def test_notify_puts_one_item_in_each_inbox_and_emails_only_the_kind_and_link(
    worker_a, coordinator_a, with_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify(
            [worker_a, coordinator_a.user, worker_a],
            KIND,
            subject="Something happened",
            body="秘密の詳細",
            link="/people/",
        )
    assert sorted(n.recipient_id for n in made) == sorted([worker_a.user_id, coordinator_a.user_id])
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "Example happened" in message.subject
    assert "/people/" in message.body
    assert "秘密の詳細" not in message.body + message.subject
    assert "Something happened" not in message.body + message.subject
    assert set(Notification.objects.values_list("email", flat=True)) == {"sent"}


def test_users_need_an_organisation_and_unknown_kinds_are_refused(worker_a):
    with pytest.raises(ValueError):
        services.notify([worker_a.user], KIND, subject="x")
    with pytest.raises(ValueError):
        services.notify([worker_a], "no_such_kind", subject="x")


def test_someone_not_on_the_staff_gets_nothing(worker_a, worker_b, org_a):
    assert services.notify([worker_b.user], KIND, subject="x", organisation=org_a) == []
    worker_a.is_active = False
    worker_a.save()
    assert services.notify([worker_a], KIND, subject="x") == []


def test_a_member_who_turned_the_kind_off_gets_no_email(
    worker_a, with_emails, django_capture_on_commit_callbacks
):
    services.set_email_preferences(worker_a, {KIND: False})
    with django_capture_on_commit_callbacks(execute=True):
        [item] = services.notify([worker_a], KIND, subject="x")
    assert mail.outbox == []
    assert item.email == Notification.Email.NOT_WANTED
    assert AuditEntry.objects.filter(action="notifications.preferences").exists()


def test_a_failed_send_never_fails_the_request_and_is_retried(
    worker_a, with_emails, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "ibasho.notifications.tests.failing.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        [item] = services.notify([worker_a], KIND, subject="x")
    item.refresh_from_db()
    assert item.email == Notification.Email.FAILED and item.email_attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.deliver(item.pk) == Notification.Email.SENT
    assert len(mail.outbox) == 1
    assert tasks.deliver(item.pk) == Notification.Email.SENT  # sent once only
    assert len(mail.outbox) == 1


def test_sending_gives_up_after_the_last_attempt(worker_a, with_emails, settings):
    settings.EMAIL_BACKEND = "ibasho.notifications.tests.failing.Backend"
    [item] = services.notify([worker_a], KIND, subject="x")
    for _ in range(tasks.MAX_ATTEMPTS):
        state = tasks.deliver(item.pk)
    assert state == Notification.Email.GAVE_UP


def test_the_badge_counts_unread_items_on_every_page_and_opening_one_reads_it(
    client_for, worker_a, coordinator_a
):
    [item] = services.notify([worker_a], KIND, subject="Look here", link="/people/")
    services.notify([coordinator_a], KIND, subject="Not yours")
    client = client_for(worker_a)
    page = client.get(reverse("people:person_list")).content.decode()
    assert 'data-unread="1"' in page
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Look here" in inbox and "Not yours" not in inbox
    response = client.post(reverse("notifications:open", args=[item.code]))
    assert response.status_code == 302 and response["Location"] == "/people/"
    item.refresh_from_db()
    assert item.read_at is not None
    assert "data-unread" not in client.get(reverse("people:person_list")).content.decode()


def test_another_members_item_is_not_found(client_for, worker_a, coordinator_a):
    [item] = services.notify([coordinator_a], KIND, subject="x")
    response = client_for(worker_a).post(reverse("notifications:open", args=[item.code]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read(client_for, worker_a):
    services.notify([worker_a], KIND, subject="a")
    services.notify([worker_a], KIND, subject="b")
    client_for(worker_a).post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_page_saves_each_kind(client_for, worker_a):
    client = client_for(worker_a)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    client.post(reverse("notifications:preferences"), {})
    assert EmailPreference.objects.get(user=worker_a.user, kind=KIND).email is False
    client.post(reverse("notifications:preferences"), {KIND: "on"})
    assert EmailPreference.objects.get(user=worker_a.user, kind=KIND).email is True
