"""Closing a case cannot hide a dropped person: the approver sees the outreach record, and a
person with no two-way contact within the at-risk window needs a second approver."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_member
from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import CloseReason, Closure, Contact, OutreachSettings, Stage
from ibasho.people.models import Case

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached
TODAY_URL = reverse("outreach:today")


def talk(person, user, days_ago: int, minutes: int = 60) -> None:
    services.record_contact(
        person,
        by=user,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        channel=C.DOOR_VISIT,
        reached=R.PERSON,
        outcome=OC.FACE_TO_FACE,
        duration_minutes=minutes,
    )


def knock(person, user, days_ago: int) -> None:
    services.record_contact(
        person,
        by=user,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
        duration_minutes=15,
    )


@pytest.fixture
def case(person_a):
    return person_a.cases.get()


@pytest.fixture
def second_admin(org_a):
    return make_member(org_a, "admin_two", "admin")


class TestSecondApproval:
    def test_other_no_response_for_a_silent_person_needs_an_admin_as_well(
        self, case, person_a, worker_a, coordinator_a, admin_a
    ):
        for days in (60, 40, 20):
            knock(person_a, worker_a.user, days)
        closure = services.request_closure(
            case, reason=CloseReason.OTHER, reason_text="no response", by=worker_a.user
        )
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        closure.refresh_from_db()
        case.refresh_from_db()
        assert closure.status == Closure.Status.AWAITING_SECOND and case.is_open
        assert case.outreach_plan.next_due_on is not None  # still on someone's Today
        other_coordinator = make_member(case.organisation, "coordinator_two", "coordinator")
        with pytest.raises(PermissionDenied):
            services.decide_closure(closure, approve=True, by=other_coordinator.user)
        services.decide_closure(closure, approve=True, by=admin_a.user)
        closure.refresh_from_db()
        case.refresh_from_db()
        assert closure.status == Closure.Status.APPROVED and not case.is_open
        assert (closure.decided_by, closure.second_decided_by) == (
            coordinator_a.user,
            admin_a.user,
        )
        assert closure.decided_at and closure.second_decided_at
        assert closure.decided_at <= closure.second_decided_at
        actions = list(AuditEntry.objects.values_list("action", flat=True))
        assert "outreach.case.closure_first_approved" in actions
        assert "outreach.case.closed" in actions

    @pytest.mark.parametrize(
        "reason", [CloseReason.OWN_DECISION, CloseReason.MOVED_AWAY, CloseReason.DIED]
    )
    def test_never_answered_needs_two_approvers_whatever_the_reason(
        self, case, worker_a, coordinator_a, reason
    ):
        closure = services.request_closure(case, reason=reason, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        case.refresh_from_db()
        assert case.is_open
        assert Closure.objects.get().status == Closure.Status.AWAITING_SECOND

    def test_a_two_way_contact_older_than_the_window_needs_two_approvers(
        self, case, person_a, worker_a, coordinator_a
    ):
        window = OutreachSettings.for_organisation(case.organisation).no_two_way_days
        talk(person_a, worker_a.user, window + 5)
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        assert Closure.objects.get().status == Closure.Status.AWAITING_SECOND

    def test_a_recent_two_way_contact_closes_with_one_approval(
        self, case, person_a, worker_a, coordinator_a
    ):
        talk(person_a, worker_a.user, 10)
        closure = services.request_closure(case, reason=CloseReason.OWN_DECISION, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        closure.refresh_from_db()
        case.refresh_from_db()
        assert closure.status == Closure.Status.APPROVED and not case.is_open
        assert closure.second_decided_by is None

    def test_the_second_approver_is_neither_the_first_nor_the_requester(
        self, case, admin_a, second_admin, coordinator_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=admin_a.user)
        services.decide_closure(closure, approve=True, by=second_admin.user)
        for same in (second_admin, admin_a):
            with pytest.raises(ValidationError):
                services.decide_closure(closure, approve=True, by=same.user)
        closure.refresh_from_db()
        assert closure.status == Closure.Status.AWAITING_SECOND
        third = make_member(case.organisation, "admin_three", "admin")
        services.decide_closure(closure, approve=True, by=third.user)
        case.refresh_from_db()
        assert not case.is_open

    def test_the_second_approver_may_keep_the_case_open(
        self, case, worker_a, coordinator_a, admin_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        services.decide_closure(closure, approve=False, by=admin_a.user)
        closure.refresh_from_db()
        case.refresh_from_db()
        assert closure.status == Closure.Status.DECLINED and case.is_open
        assert closure.second_decided_by == admin_a.user
        assert AuditEntry.objects.filter(action="outreach.case.closure_declined").exists()

    def test_no_second_request_while_one_awaits_approval(self, case, worker_a, coordinator_a):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        with pytest.raises(ValidationError):
            services.request_closure(case, reason=CloseReason.DIED, by=worker_a.user)


class TestApprovalPage:
    def url(self, closure):
        return reverse("outreach:closure_detail", args=[closure.code])

    def test_the_approver_sees_the_outreach_record(
        self, client_for, case, person_a, worker_a, coordinator_a
    ):
        for days in (50, 30):
            knock(person_a, worker_a.user, days)
        talk(person_a, worker_a.user, 120, minutes=90)
        services.change_stage(
            person_a, stage=Stage.INDIVIDUAL_INDIRECT, on=person_a.organisation.today(),
            by=worker_a.user,
        )  # fmt: skip
        closure = services.request_closure(
            case, reason=CloseReason.OTHER, reason_text="no response", by=worker_a.user
        )
        response = client_for(coordinator_a).get(self.url(closure))
        assert response.status_code == 200
        review = response.context["review"]
        assert review.attempts == 2 and review.two_way_hours == 1.5
        zone = person_a.organisation.zone
        local = (timezone.now() - dt.timedelta(days=120)).astimezone(zone).date()
        assert review.last_two_way_on == local and review.needs_second_approval
        assert review.stage.stage == Stage.INDIVIDUAL_INDIRECT
        html = response.content.decode()
        for text in ("no response", "Other (explain)", "Individual support (indirect)", "1.5"):
            assert text in html, text
        assert "second approval" in html

    def test_never_answered_is_said_plainly(self, client_for, case, worker_a, coordinator_a):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        html = client_for(coordinator_a).get(self.url(closure)).content.decode()
        assert "Never answered" in html

    def test_deciding_on_the_page(self, client_for, case, person_a, worker_a, coordinator_a):
        talk(person_a, worker_a.user, 3)
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        response = client_for(coordinator_a).post(self.url(closure), {"decision": "approve"})
        assert response.status_code == 302
        case.refresh_from_db()
        assert not case.is_open

    def test_a_refused_second_approval_is_explained(
        self, client_for, case, worker_a, coordinator_a, admin_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=admin_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        response = client_for(admin_a).post(self.url(closure), {"decision": "approve"})
        assert response.status_code == 200
        assert response.context["error"]
        case.refresh_from_db()
        assert case.is_open

    def test_workers_analysts_and_outsiders_get_404(
        self, client_for, case, worker_a, analyst_a, worker_b
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        for member in (worker_a, analyst_a, worker_b):
            client = client_for(member)
            assert client.get(self.url(closure)).status_code == 404
            assert client.post(self.url(closure), {"decision": "approve"}).status_code == 404
        assert Closure.objects.get().status == Closure.Status.PENDING

    def test_the_person_page_links_to_the_review_instead_of_approving_in_one_click(
        self, client_for, case, person_a, worker_a, coordinator_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        html = (
            client_for(coordinator_a)
            .get(reverse("people:person_records", args=[person_a.code]))
            .content.decode()
        )
        assert self.url(closure) in html
        assert 'name="decision"' not in html


class TestToday:
    def test_pending_closures_wait_on_the_coordinators_today(
        self, client_for, case, worker_a, coordinator_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        response = client_for(coordinator_a).get(TODAY_URL)
        assert [row.code for row in response.context["overview"]["closures"]] == [closure.code]
        assert reverse("outreach:closure_detail", args=[closure.code]) in (
            response.content.decode()
        )

    def test_second_approvals_wait_on_the_admins_today_only(
        self, client_for, case, worker_a, coordinator_a, admin_a
    ):
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        assert list(client_for(coordinator_a).get(TODAY_URL).context["overview"]["closures"]) == []
        admin_view = client_for(admin_a).get(TODAY_URL).context["overview"]["closures"]
        assert [row.code for row in admin_view] == [closure.code]

    def test_decided_closures_leave_today(
        self, client_for, case, person_a, worker_a, coordinator_a
    ):
        talk(person_a, worker_a.user, 3)
        closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
        services.decide_closure(closure, approve=True, by=coordinator_a.user)
        assert Case.objects.get().status == Case.Status.CLOSED
        assert list(client_for(coordinator_a).get(TODAY_URL).context["overview"]["closures"]) == []
