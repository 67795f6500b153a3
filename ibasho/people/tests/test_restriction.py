"""Restricted records, tried at every door: the person page and every page under it, the
API, lists, search and Today; and breaking the glass."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import get_resolver, reverse
from django.utils import timezone

from conftest import make_member
from ibasho.audit.models import AuditEntry
from ibasho.notifications.models import Notification
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.people import restriction
from ibasho.people.models import GlassBreak, Person, Restriction

NAME = "山田 太郎"


@pytest.fixture
def colleague(org_a):
    """A worker of the same organisation, not assigned to person_a."""
    return make_member(org_a, "colleague", "worker")


@pytest.fixture
def restricted(person_a, coordinator_a, worker_a):
    outreach.record_contact(
        person_a, by=worker_a.user, channel=Contact.Channel.LETTER,
        outcome=Contact.Outcome.LETTER_LEFT, note="手紙を置いた",
    )  # fmt: skip
    restriction.restrict(person_a, by=coordinator_a.user, reason="hiding", note="父から逃れて")
    return person_a


def person_routes() -> list[str]:
    """Every web route that names a person by code, from the URLconf."""
    found = []

    def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                if not route.startswith(("api/", "admin/")):
                    walk(pattern.url_patterns, route)
            elif re.search(r"people/<uuid:code>/|programmes/for/<uuid:code>/", route):
                found.append(route)

    walk(get_resolver().url_patterns)
    return found


PERSON_ROUTES = person_routes()
API_ROUTES = [
    "/api/v1/people/{}",
    "/api/v1/people/{}/contacts",
    "/api/v1/people/{}/administrations",
]


def test_the_walk_finds_the_person_pages():
    assert {"people/<uuid:code>/", "outreach/people/<uuid:code>/contacts/"} <= set(PERSON_ROUTES)
    assert len(PERSON_ROUTES) >= 10


@pytest.mark.parametrize("route", PERSON_ROUTES)
def test_every_person_page_is_closed_to_an_unassigned_worker(
    route, restricted, client_for, colleague, worker_a, admin_a
):
    url = "/" + route.replace("<uuid:code>", str(restricted.code))
    callers = {m: client_for(m) for m in (colleague, worker_a, admin_a)}
    restriction.lift(restricted, by=admin_a.user)
    before = {m: c.get(url).status_code for m, c in callers.items()}
    restriction.restrict(restricted, by=admin_a.user, reason="staff_relative")
    refused = callers[colleague].get(url)
    # The person page offers to break the glass instead, and shows nothing of the person.
    offers_glass = route in (
        "people/<uuid:code>/", "people/<uuid:code>/records/", "people/<uuid:code>/break-glass/"
    )  # fmt: skip
    assert refused.status_code == (403 if offers_glass else 404)
    assert NAME not in refused.content.decode()
    # The assigned worker and the admin answer as before.
    for member in (worker_a, admin_a):
        assert callers[member].get(url).status_code == before[member], (route, member)


@pytest.mark.parametrize("path", API_ROUTES)
def test_the_api_answers_404_to_an_unassigned_worker(
    path, restricted, api_client_for, colleague, worker_a
):
    assert api_client_for(colleague).get(path.format(restricted.code)).status_code == 404
    assert api_client_for(worker_a).get(path.format(restricted.code)).status_code == 200


def test_lists_search_and_today_leave_the_person_out(
    restricted, client_for, api_client_for, colleague, coordinator_a
):
    pages = [
        reverse("people:person_list") + "?q=やまだ&status=all",
        reverse("people:person_list"),
        reverse("outreach:today"),
        reverse("people:household_detail", args=[restricted.household.code]),
    ]
    for url in pages:
        assert NAME not in client_for(colleague).get(url).content.decode(), url
    assert NAME in client_for(coordinator_a).get(pages[0]).content.decode()
    people = api_client_for(colleague).get("/api/v1/people?q=やまだ").json()
    assert restricted.family_name not in str(people)
    contacts = api_client_for(colleague).get("/api/v1/contacts").json()
    assert str(restricted.code) not in str(contacts)
    assert str(restricted.code) in str(api_client_for(coordinator_a).get("/api/v1/contacts").json())


def test_only_a_coordinator_or_admin_restricts_and_it_is_audited(
    person_a, worker_a, coordinator_a, client_for
):
    with pytest.raises(ValidationError):
        restriction.restrict(person_a, by=worker_a.user, reason="hiding")
    with pytest.raises(ValidationError):
        restriction.restrict(person_a, by=coordinator_a.user, reason="no_such_reason")
    url = reverse("people:person_restriction", args=[person_a.code])
    assert client_for(worker_a).get(url).status_code == 404
    client = client_for(coordinator_a)
    assert client.post(url, {"reason": "staff_relative", "note": ""}).status_code == 302
    assert Restriction.objects.get(person=person_a).reason == "staff_relative"
    assert AuditEntry.objects.filter(action="people.restricted", person_code=person_a.code).exists()
    client.post(url, {"lift": "1"})
    assert not Restriction.objects.filter(person=person_a).exists()
    assert AuditEntry.objects.filter(action="people.restriction_lifted").exists()


def test_breaking_the_glass_opens_for_hours_audits_and_tells_the_coordinators(
    restricted, client_for, colleague, coordinator_a, admin_a, org_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    coordinator_a.user.email = "coordinator@example.org"
    coordinator_a.user.save()
    client = client_for(colleague)
    url = reverse("people:break_glass", args=[restricted.code])
    refused = client.post(url, {"reason": "short"})
    assert refused.status_code == 403 and not GlassBreak.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "本人から緊急の電話があったため"})
    assert response.status_code == 302
    page = client.get(reverse("people:person_detail", args=[restricted.code]))
    assert page.status_code == 200 and NAME in page.content.decode()
    opened = GlassBreak.objects.get()
    assert opened.reason == "本人から緊急の電話があったため"
    assert opened.until - timezone.now() > dt.timedelta(hours=7)
    entry = AuditEntry.objects.get(action="people.glass_broken")
    assert entry.actor == colleague.user and entry.person_code == restricted.code
    inboxes = Notification.objects.filter(kind=restriction.RESTRICTED_OPENED)
    assert {n.recipient for n in inboxes} == {coordinator_a.user, admin_a.user}
    [message] = mail.outbox
    assert NAME not in message.body and "電話があった" not in message.body
    assert str(restricted.code) in message.body  # the link, to the page behind its guard
    # Access ends with its time.
    GlassBreak.objects.update(until=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("people:person_detail", args=[restricted.code])).status_code == 403


def test_breaking_the_glass_is_refused_where_there_is_nothing_to_break(
    person_a, restricted, colleague, analyst_a, worker_b
):
    other = Person.objects.create(
        organisation=person_a.organisation, family_name="x", family_name_kana="えっくす"
    )
    with pytest.raises(ValidationError):
        restriction.break_glass(other, by=colleague.user, reason="本人から緊急の電話があったため")
    for member in (analyst_a, worker_b):
        with pytest.raises(ValidationError):
            restriction.break_glass(
                restricted, by=member.user, reason="本人から緊急の電話があったため"
            )
    with pytest.raises(ValidationError):
        restriction.break_glass(restricted, by=colleague.user, reason="理由\x00は十分に長いけれど")
    assert not GlassBreak.objects.exists()


def test_analysts_and_other_organisations_get_404_not_the_glass(
    restricted, client_for, analyst_a, worker_b
):
    url = reverse("people:person_detail", args=[restricted.code])
    assert client_for(analyst_a).get(url).status_code == 404
    assert client_for(worker_b).get(url).status_code == 404
    assert (
        client_for(worker_b)
        .post(reverse("people:break_glass", args=[restricted.code]), {"reason": "x" * 20})
        .status_code
        == 404
    )
