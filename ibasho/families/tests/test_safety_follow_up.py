"""Safety events: no default kind, "what happened" at immediate danger, coordinators told at
once, and a follow-up state that ends the banners (form, API; the admin has no door)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.families import services
from ibasho.families.models import SafetyEvent
from ibasho.notifications.models import Notification

API = "/api/v1/families"


@pytest.fixture
def emails(coordinator_a, admin_a, worker_a):
    for membership in (coordinator_a, admin_a, worker_a):
        membership.user.email = f"{membership.user.username}@example.org"
        membership.user.save()


def _form(person):
    return reverse("families:safety_create", args=[person.code])


class TestRecording:
    def test_the_form_chooses_no_kind_or_urgency(self, client_for, worker_a, person_a):
        page = client_for(worker_a).get(_form(person_a)).content.decode()
        assert '<option value="" selected>Please choose</option>' in page
        response = client_for(worker_a).post(_form(person_a), {"description": "x"})
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"kind", "severity"}
        assert not SafetyEvent.objects.exists()

    def test_immediate_danger_needs_what_happened_by_form(self, client_for, worker_a, person_a):
        data = {"kind": "violence", "severity": 3, "description": "  "}
        response = client_for(worker_a).post(_form(person_a), data)
        assert response.status_code == 200
        assert "immediate" in str(response.context["form"].errors["description"])
        assert not SafetyEvent.objects.exists()

    def test_immediate_danger_needs_what_happened_by_api(self, api_client_for, worker_a, person_a):
        url = f"{API}/people/{person_a.code}/safety-events"
        client = api_client_for(worker_a)
        refused = client.post(url, {"kind": "violence", "severity": 3}, "application/json")
        assert refused.status_code == 422
        assert "description" in str(refused.json())
        for bad in (
            {"kind": "fire", "severity": 1},
            {"kind": "violence", "severity": 9},
            {"kind": "violence", "severity": 1, "description": "a\x00b"},
            {"kind": "violence", "severity": 1, "raised_by": 1},
        ):
            assert client.post(url, bad, "application/json").status_code == 422
        assert not SafetyEvent.objects.exists()
        data = {"kind": "violence", "severity": 3, "description": "包丁を持ち出した"}
        made = client.post(url, data, "application/json")
        assert made.status_code == 201 and made.json()["resolved_at"] is None

    def test_the_admin_site_offers_no_door(self):
        assert SafetyEvent not in admin.site._registry

    def test_the_service_refuses_it_too(self, person_a, worker_a):
        with pytest.raises(services.ValidationError) as caught:
            services.raise_safety_event(person_a, kind="violence", severity=3, by=worker_a.user)
        assert "description" in caught.value.error_dict


class TestCoordinatorsAreTold:
    def test_at_once_by_inbox_and_email(
        self, client_for, worker_a, coordinator_a, admin_a, person_a, emails,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        data = {"kind": "suicide_risk", "severity": 3, "description": "「消えたい」と話した"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(worker_a).post(_form(person_a), data)
        assert response.status_code == 302
        told = Notification.objects.filter(kind="safety_event")
        assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
            [coordinator_a.user_id, admin_a.user_id]
        )
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [coordinator_a.user.email, admin_a.user.email]
        )
        assert all("消えたい" not in m.body + m.subject for m in mail.outbox)
        assert all(person_a.family_name not in n.subject for n in told)
        badge = client_for(coordinator_a).get(reverse("notifications:inbox")).content.decode()
        assert 'data-unread="1"' in badge

    def test_a_failed_send_never_blocks_the_request_and_is_retried(
        self, client_for, worker_a, coordinator_a, person_a, emails, settings,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        settings.EMAIL_BACKEND = "ibasho.notifications.tests.failing.Backend"
        data = {"kind": "violence", "severity": 2}
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(worker_a).post(_form(person_a), data)
        assert response.status_code == 302
        item = Notification.objects.get(kind="safety_event", recipient=coordinator_a.user)
        assert item.email == Notification.Email.FAILED and item.email_attempts == 1
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from ibasho.notifications.tasks import deliver

        assert deliver(item.pk) == Notification.Email.SENT

    def test_the_kind_is_a_choice_on_the_preferences_page(self, client_for, coordinator_a):
        page = client_for(coordinator_a).get(reverse("notifications:preferences"))
        assert "safety_event" in page.context["form"].fields


class TestFollowUp:
    @pytest.fixture
    def event(self, person_a, worker_a):
        return services.raise_safety_event(
            person_a, kind="suicide_risk", severity=3, by=worker_a.user, description="訴え"
        )

    def test_a_coordinator_follows_up_and_the_banner_goes(
        self, client_for, coordinator_a, person_a, event
    ):
        client = client_for(coordinator_a)
        page = reverse("people:person_records", args=[person_a.code])
        assert 'id="safety-panel"' in client.get(page).content.decode()
        url = reverse("families:safety_resolve", args=[event.code])
        assert client.post(url, {"resolution": ""}).status_code == 200
        response = client.post(
            url, {"resolution": "本人と電話で話し、主治医につないだ"}, follow=True
        )
        assert "The follow-up is recorded." in response.content.decode()
        assert 'id="safety-panel"' not in client.get(page).content.decode()
        event.refresh_from_db()
        assert event.resolved_by == coordinator_a.user == event.acknowledged_by
        assert event.resolution == "本人と電話で話し、主治医につないだ"
        actions = AuditEntry.objects.filter(target_code=event.code).values_list("action", flat=True)
        assert {"families.safety_event.acknowledged", "families.safety_event.resolved"} <= set(
            actions
        )

    def test_a_worker_waits_for_a_coordinator(self, client_for, worker_a, event):
        url = reverse("families:safety_resolve", args=[event.code])
        response = client_for(worker_a).post(url, {"resolution": "電話した"})
        assert response.status_code == 200
        assert SafetyEvent.objects.unresolved().count() == 1

    def test_by_api(self, api_client_for, coordinator_a, worker_b, analyst_a, event):
        url = f"{API}/safety-events/{event.code}/follow-up"
        for outsider in (worker_b, analyst_a):
            answer = api_client_for(outsider).post(url, {"resolution": "x"}, "application/json")
            assert answer.status_code == 404
        client = api_client_for(coordinator_a)
        assert client.post(url, {"resolution": " "}, "application/json").status_code == 422
        assert client.post(url, {"resolution": "a\x00"}, "application/json").status_code == 422
        done = client.post(url, {"resolution": "訪問した"}, "application/json")
        assert done.status_code == 200 and done.json()["resolved_at"]

    def test_outsiders_and_analysts_cannot_follow_up(self, client_for, worker_b, analyst_a, event):
        url = reverse("families:safety_resolve", args=[event.code])
        for outsider in (worker_b, analyst_a):
            response = client_for(outsider).post(url, {"resolution": "x"})
            assert response.status_code in (403, 404)
        assert SafetyEvent.objects.unresolved().count() == 1


def test_phq9_banners_show_only_flags_not_followed_up(
    client_for, person_a, worker_a, coordinator_a, django_capture_on_commit_callbacks
):
    from ibasho.outcomes.models import Administration
    from ibasho.outcomes.scoring import builtin_definitions
    from ibasho.outcomes.services import record_administration

    for day in (dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            record_administration(
                person_a, definition=builtin_definitions()["phq9"], answers=[0] * 8 + [2],
                administered_on=day, respondent="self", by=worker_a.user,
            )  # fmt: skip
    first, second = Administration.objects.order_by("administered_on")
    assert first.safety_event and second.safety_event
    assert first.safety_event.description  # the system says what happened
    page = reverse("people:person_records", args=[person_a.code])
    client = client_for(coordinator_a)
    assert client.get(page).content.decode().count('class="safety"') == 2
    services.resolve_safety_event(first.safety_event, by=coordinator_a.user, resolution="面談")
    assert client.get(page).content.decode().count('class="safety"') == 1
    services.resolve_safety_event(second.safety_event, by=coordinator_a.user, resolution="面談")
    assert 'class="safety"' not in client.get(page).content.decode()


def test_an_older_flag_without_its_event_goes_once_a_later_event_is_followed_up(
    client_for, person_a, worker_a, coordinator_a
):
    from ibasho.outcomes.scoring import builtin_definitions
    from ibasho.outcomes.services import record_administration

    record_administration(
        person_a, definition=builtin_definitions()["phq9"], answers=[0] * 8 + [2],
        administered_on=dt.date(2026, 4, 1), respondent="self", by=worker_a.user,
    )  # fmt: skip
    page = reverse("people:person_records", args=[person_a.code])
    client = client_for(coordinator_a)
    assert client.get(page).content.decode().count('class="safety"') == 1
    event = services.raise_from_safety_flag(person_a, reason="phq9_item9")
    services.resolve_safety_event(event, by=coordinator_a.user, resolution="面談")
    assert 'class="safety"' not in client.get(page).content.decode()
