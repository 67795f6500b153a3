import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ibasho.accounts.models import ApiToken
from ibasho.audit.models import AuditEntry
from ibasho.lifecycle import breach
from ibasho.lifecycle.models import AffectedPerson, Incident
from ibasho.people.models import Person

pytestmark = pytest.mark.django_db


def people(org, n):  # type: ignore[no-untyped-def]
    return [
        Person.objects.create(organisation=org, family_name=f"人{i}", family_name_kana="ひと")
        for i in range(n)
    ]


@pytest.fixture
def incident(org_a, admin_a):  # type: ignore[no-untyped-def]
    return breach.record_incident(
        org_a, kind=Incident.Kind.TOKEN_LEAK, summary="トークンが公開リポジトリに",
        discovered_at=timezone.now() - dt.timedelta(hours=1), discovered_by="管理者",
        by=admin_a.user,
    )  # fmt: skip


def test_the_scope_of_a_token_is_exactly_the_people_it_read(org_a, worker_a, admin_a, incident):
    everyone = people(org_a, 6)
    leaked, raw = ApiToken.issue(worker_a, "連携")
    _other, other_raw = ApiToken.issue(worker_a, "別")
    start = timezone.now() - dt.timedelta(minutes=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for person in everyone[:3] + everyone[:1]:  # the first one twice
        assert api.get(f"/api/v1/people/{person.code}").status_code == 200
    Client(HTTP_AUTHORIZATION=f"Bearer {other_raw}").get(f"/api/v1/people/{everyone[4].code}")
    Client().force_login(worker_a.user)  # the same user on the web is not the token
    web = Client()
    web.force_login(worker_a.user)
    web.get(f"/people/{everyone[5].code}/")

    scope = breach.compute_scope(
        org_a, start=start, end=timezone.now() + dt.timedelta(minutes=1), token=leaked
    )
    assert {p.code for p, *_ in scope.people} == {p.code for p in everyone[:3]}
    reads = {p.code: n for p, n, _first, _last in scope.people}
    assert reads[everyone[0].code] == 2

    assert breach.attach_scope(incident, scope, by=admin_a.user) == 3
    assert breach.attach_scope(incident, scope, by=admin_a.user) == 0  # attached once
    assert AffectedPerson.objects.filter(incident=incident).count() == 3
    assert AuditEntry.objects.filter(action="lifecycle.incident.scope_attached").count() == 2


def test_the_scope_of_a_user_counts_the_web_and_the_api(org_a, worker_a, coordinator_a):
    everyone = people(org_a, 3)
    start = timezone.now() - dt.timedelta(minutes=1)
    web = Client()
    web.force_login(worker_a.user)
    web.get(f"/people/{everyone[0].code}/")
    _token, raw = ApiToken.issue(worker_a)
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/people/{everyone[1].code}")
    other = Client()
    other.force_login(coordinator_a.user)
    other.get(f"/people/{everyone[2].code}/")
    end = timezone.now() + dt.timedelta(minutes=1)
    scope = breach.compute_scope(org_a, start=start, end=end, user=worker_a.user)
    assert {p.code for p, *_ in scope.people} == {everyone[0].code, everyone[1].code}
    by_ip = breach.compute_scope(org_a, start=start, end=end, ip="127.0.0.1")
    assert {p.code for p, *_ in by_ip.people} == {p.code for p in everyone}
    elsewhere = breach.compute_scope(org_a, start=start, end=end, ip="10.0.0.9")
    assert elsewhere.people == []
    window = breach.compute_scope(org_a, start=start - dt.timedelta(days=1), end=start)
    assert window.people == []


def test_another_organisations_token_is_refused(org_a, worker_b, incident):
    token, _raw = ApiToken.issue(worker_b)
    now = timezone.now()
    with pytest.raises(ValidationError):
        breach.compute_scope(org_a, start=now - dt.timedelta(days=1), end=now, token=token)


@pytest.mark.parametrize(
    "start, end",
    [
        (dt.timedelta(days=1), dt.timedelta(days=2)),  # ends before it starts
        (dt.timedelta(days=-1), dt.timedelta(days=-2)),  # in the future
        (dt.timedelta(days=4 * 366), dt.timedelta(days=0)),  # longer than three years
        (dt.timedelta(days=80 * 366), dt.timedelta(days=79 * 366)),  # before any record
    ],
)
def test_a_window_that_makes_no_sense_is_refused(org_a, start, end):
    now = timezone.now()
    with pytest.raises(ValidationError):
        breach.compute_scope(org_a, start=now - start, end=now - end)


@pytest.mark.parametrize(
    "changes",
    [
        {"discovered_at": timezone.now() + dt.timedelta(days=1)},
        {"discovered_at": dt.datetime(1950, 1, 1, tzinfo=dt.UTC)},
        {"summary": "a\x00b"},
        {"summary": "  "},
        {"discovered_by": "二\n行"},
        {"kind": "meteor"},
    ],
)
def test_an_incident_with_bad_values_is_refused(org_a, admin_a, changes):
    values = {"kind": "lost_device", "summary": "USBメモリ紛失", "discovered_by": "職員",
              "discovered_at": timezone.now(), **changes}  # fmt: skip
    with pytest.raises(ValidationError):
        breach.record_incident(org_a, by=admin_a.user, **values)
    assert not Incident.objects.exists()


def test_only_admins_record_incidents(org_a, coordinator_a):
    with pytest.raises(ValidationError):
        breach.record_incident(org_a, kind="lost_device", summary="x", discovered_by="y",
                               discovered_at=timezone.now(), by=coordinator_a.user)  # fmt: skip


def test_deadlines_follow_the_kind_of_breach(org_a, admin_a, incident):
    found = Incident.objects.get(pk=incident.pk)
    assert found.final_due - found.discovered_on == dt.timedelta(days=30)
    assert dt.timedelta(days=3) <= found.preliminary_due - found.discovered_on <= dt.timedelta(5)
    found.kind = Incident.Kind.UNAUTHORISED_ACCESS
    assert found.final_due - found.discovered_on == dt.timedelta(days=60)
    due = breach.open_deadlines(org_a.pk, org_a.today())
    assert [which for _i, which, _d in due] == ["preliminary", "final"]
    breach.mark_reported(found, which="preliminary", on=org_a.today(), by=admin_a.user)
    assert [which for _i, which, _d in breach.open_deadlines(org_a.pk, org_a.today())] == ["final"]


def test_an_incident_closes_after_its_final_report(org_a, admin_a, incident):
    with pytest.raises(ValidationError) as refused:
        breach.close_incident(incident, note="再発防止策を実施", by=admin_a.user)
    assert refused.value.code == "final_report"
    with pytest.raises(ValidationError):
        breach.mark_reported(incident, which="final", on=org_a.today() + dt.timedelta(days=1),
                             by=admin_a.user)  # fmt: skip
    with pytest.raises(ValidationError):
        breach.mark_reported(incident, which="final", on=org_a.today() - dt.timedelta(days=9),
                             by=admin_a.user)  # fmt: skip
    breach.mark_reported(incident, which="final", on=org_a.today(), by=admin_a.user)
    breach.close_incident(incident, note="再発防止策を実施", by=admin_a.user)
    assert breach.open_deadlines(org_a.pk, org_a.today()) == []
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"lifecycle.incident.recorded", "lifecycle.incident.reported",
            "lifecycle.incident.closed"} <= actions  # fmt: skip


def test_the_report_and_the_letters_are_pdfs(org_a, admin_a, person_a, incident):
    AffectedPerson.objects.create(organisation=org_a, incident=incident, person=person_a)
    report = breach.report_pdf(incident)
    letters = breach.letters_pdf(incident)
    assert report.startswith(b"%PDF") and letters.startswith(b"%PDF")
