"""History entry without false alarms: a family member's status change has the effective date
the user gives; alerts fire only within the alert window from that date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ibasho.families import board
from ibasho.families.models import RiskSettings
from ibasho.people import services as people
from ibasho.people.models import Household


def _alerted(org):
    today = org.today()
    limits = RiskSettings.thresholds_for(org.pk)
    return board.recently_changed(Household.objects.all(), org.pk, today, limits).exists()


def test_entering_a_death_from_old_records_needs_its_date_and_raises_no_alert(
    person_a, worker_a, org_a
):
    household = person_a.household
    with pytest.raises(ValidationError) as caught:
        people.add_family_member(
            household, by=worker_a.user, name="山田一", relationship="grandparent", health="died"
        )
    assert "health_changed_on" in caught.value.error_dict
    two_years_ago = org_a.today() - dt.timedelta(days=730)
    people.add_family_member(
        household, by=worker_a.user, name="山田一", relationship="father", health="died",
        health_changed_on=two_years_ago,
    )  # fmt: skip
    assert not _alerted(org_a)


def test_a_future_date_is_refused(person_a, worker_a, org_a):
    with pytest.raises(ValidationError):
        people.add_family_member(
            person_a.household, by=worker_a.user, name="山田一", relationship="father",
            health="hospitalised", health_changed_on=org_a.today() + dt.timedelta(days=1),
        )  # fmt: skip


def test_the_alert_window_is_the_organisations(person_a, worker_a, org_a):
    people.add_family_member(
        person_a.household, by=worker_a.user, name="山田一", relationship="father",
        health="in_care", health_changed_on=org_a.today() - dt.timedelta(days=45),
    )  # fmt: skip
    assert not _alerted(org_a)  # 30 days by default
    RiskSettings.objects.create(organisation=org_a, top_days=60)
    assert _alerted(org_a)


class TestTheHealthForm:
    def _url(self, person):
        mother = person.household.members.get(relationship="mother")
        return reverse("families:health_update", args=[mother.code]), mother

    def test_a_new_event_defaults_to_today_and_needs_a_date(self, client_for, worker_a, person_a):
        url, mother = self._url(person_a)
        client = client_for(worker_a)
        form = client.get(url).context["form"]
        assert form["since"].value() == person_a.organisation.today()
        response = client.post(url, {"health": "hospitalised", "since": ""})
        assert response.status_code == 200 and "since" in response.context["form"].errors
        mother.refresh_from_db()
        assert mother.health == "well"

    def test_an_old_date_raises_no_alert_and_a_future_one_is_refused(
        self, client_for, worker_a, person_a, org_a
    ):
        url, mother = self._url(person_a)
        client = client_for(worker_a)
        future = (org_a.today() + dt.timedelta(days=3)).isoformat()
        assert client.post(url, {"health": "died", "since": future}).status_code == 200
        old = (org_a.today() - dt.timedelta(days=400)).isoformat()
        assert client.post(url, {"health": "died", "since": old}).status_code == 302
        mother.refresh_from_db()
        assert mother.health == "died" and not _alerted(org_a)
        today_page = client.get(reverse("outreach:today")).content.decode()
        assert "山田和子" not in today_page
