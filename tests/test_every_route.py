"""Every route, generated from the URLconf (the web pages and the API alike), requested as
someone who must not see organisation A's people: a worker of organisation B and A's analyst.
No list of routes is kept by hand: a new route is walked as soon as it exists, and a new kind of
record needs an example in `world` below before the walk can find it.

For a route with a path parameter the walk first finds a value that A's own staff can use (the
code of one of A's records: the first whose answer differs from the answer for a code that does
not exist). Then:
- B's worker gets 404 with it (any method the route offers), exactly as for a code that does not
  exist, and changes nothing of A's;
- A's analyst gets 404 too where the record shows a person to A's staff: analysts see
  aggregates only (a report job is one);
- every page or response that shows one of A's people to A's staff wrote an audit entry.
A route without a parameter shows B's worker nothing of A's, and shows A's analyst nothing
personal at all (it answers 404 where A's staff see people).

Report pages name a kind of report and a file format in their paths, not a record: the walk
fills in one of each (`PAGE_KINDS`) and treats them as routes without a code.

Left out, with the reason:
- admin/: the Django admin has its own permission checks (organisation admins and platform
  superusers only) and no record codes in its URLs;
- logout/: it ends the session the walk goes on with; it shows and touches no records;
- password/reset/<uidb64>/<token>/: the e-mailed link names an account, not a record; it is
  signed for that account alone and shows nothing but a password form (tested in
  ibasho/accounts/tests/test_sign_in.py)."""

import datetime as dt
import functools
import itertools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

from ibasho.accounts import services as accounts
from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.api import api
from ibasho.audit.models import AuditEntry
from ibasho.exchange import services as exchange
from ibasho.exchange.tasks import run_export
from ibasho.families import services as families
from ibasho.families.models import BehaviourChange, ContingencyPlan, HouseholdCircumstances
from ibasho.imports import services as imports
from ibasho.lifecycle import breach, retention
from ibasho.lifecycle.models import AffectedPerson
from ibasho.meetings import access as meeting_access
from ibasho.meetings import services as meetings
from ibasho.notifications.services import notify
from ibasho.outcomes import kato, scoring
from ibasho.outcomes import services as outcomes
from ibasho.outreach import services as outreach
from ibasho.outreach.models import CloseReason, Contact, Stage
from ibasho.people import restriction
from ibasho.people import services as people_services
from ibasho.people.models import (
    Case,
    CaseAssignment,
    Consent,
    FamilyMember,
    Person,
    PossibleDuplicate,
)
from ibasho.people.services import record_consent
from ibasho.programmes import services as programmes
from ibasho.programmes.models import Programme
from ibasho.provisions import services as provisions
from ibasho.referrals import services as referrals
from ibasho.reports.models import ReportJob
from ibasho.reports.tasks import run_job

LEFT_OUT = ("admin/", "logout/", "password/reset/<uidb64>/")
# Path parameters that name a kind of page, not a record (a report and its file format): the
# walk fills in a real one and treats the route as one without a record code.
PAGE_KINDS = {"kind": "contacts", "fmt": "csv"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
WEB_METHODS = ("GET", "POST")
CSRF = re.compile(r'(?<="X-CSRFToken": ")[^"]+|(?<=name="csrfmiddlewaretoken" value=")[^"]+')


# -- the world: one record of every kind in organisation A ------------------------------------


@dataclass
class World:
    markers: list[str]  # what shows one of A's people
    staff: list[Any]  # A's memberships that work with people, most rights first
    invitee: Any  # an account A has invited, not (yet) a member anywhere
    outsider: Any
    analyst: Any
    organisation: Any


@pytest.fixture
def world(
    org_a,
    org_b,
    worker_a,
    coordinator_a,
    admin_a,
    analyst_a,
    worker_b,
    person_a,
    household_a,
    settings,
    tmp_path,
) -> World:
    today = org_a.today()
    by = worker_a.user
    mother = household_a.members.get(relationship=FamilyMember.Relationship.MOTHER)
    # A second person, handed over to worker_a by the coordinator.
    second = Person.objects.create(
        organisation=org_a, family_name="灯台", given_name="守", family_name_kana="とうだい"
    )
    second_case = Case.objects.create(organisation=org_a, person=second)
    CaseAssignment.objects.create(organisation=org_a, case=second_case, worker=coordinator_a.user)
    outreach.hand_over(
        [outreach.HandoverItem(second_case, by, "手紙が好き")],
        from_worker=coordinator_a.user,
        by=coordinator_a.user,
    )
    # Outreach: a contact with a revision, a stage, a quiet period, a pending closure.
    contact = outreach.record_contact(
        person_a,
        by=by,
        channel=Contact.Channel.PHONE,
        reached=Contact.Reached.FAMILY,
        family_member=mother,
        outcome=Contact.Outcome.NO_RESPONSE,
        note="母と話した",
    )
    outreach.edit_contact(contact, by=by, note="母と少し話した")
    outreach.change_stage(person_a, stage=Stage.FAMILY_SUPPORT, on=today, by=by)
    outreach.start_quiet_period(
        outreach.ensure_plan(second_case),
        until=today + dt.timedelta(days=30),
        continuing=[],
        note="",
        by=by,
    )
    outreach.request_closure(second_case, reason=CloseReason.MOVED_AWAY, by=by)
    outreach.book(
        person_a,
        worker=by,
        starts_at=timezone.now() + dt.timedelta(days=1),
        channel=Contact.Channel.DOOR_VISIT,
        note="玄関先で",
        by=by,
    )
    Consent.objects.create(organisation=org_a, person=person_a, purpose=Consent.Purpose.CONTACT)
    # Programmes: a family course (sessions, measurement points), an enrolment, attendance.
    course = Programme.objects.create(
        organisation=org_a,
        kind=Programme.Kind.FAMILY_COURSE,
        course_template="craft",
        name_ja="家族教室",
        name_en="Family course",
        duration_minutes=120,
        starts_at=dt.time(10, 0),
    )
    [first, *_] = programmes.start_family_course(
        course, start=today - dt.timedelta(days=14), by=coordinator_a.user
    )
    enrolment = programmes.enrol(course, person=person_a, family_member=mother, by=by)
    programmes.record_attendance(first, enrolment, status="attended", by=by)
    # Outcomes: an administration, the organisation's own instrument, Kato, recovery.
    k6 = scoring.builtin_definitions()["k6"]
    outcomes.record_administration(
        person_a, definition=k6, answers=[1] * 6, administered_on=today, respondent="self", by=by
    )
    own = json.loads((scoring.BUILTIN_DIR / "k6.json").read_text(encoding="utf-8"))
    own["code"] = "org-k6"
    outcomes.save_instrument_definition(org_a, own, by=admin_a.user)
    outcomes.record_kato_assessment(
        person_a, answers=kato.KatoAnswers(1, False, 12, True), assessed_on=today, by=by
    )
    outcomes.record_recovery_profile(
        person_a, rated_on=today, ratings={"self": {"going_out": 2}}, by=by
    )
    # Families: a safety event, a behaviour change, a contingency plan, circumstances.
    families.raise_safety_event(person_a, kind="self_neglect", severity=1, by=by)
    BehaviourChange.objects.create(
        organisation=org_a, person=person_a, reported_by=mother, kind="outside_home"
    )
    ContingencyPlan.objects.create(
        organisation=org_a, household=household_a, last_reviewed_on=today
    )
    HouseholdCircumstances.objects.create(
        organisation=org_a, household=household_a, income_stopping=True
    )
    # Reports: a report job (aggregates only: A's analyst may read it, B's worker may not).
    run_job(
        ReportJob.objects.create(
            organisation=org_a, kind="contacts", date_from=today, date_to=today, requested_by=by
        )
    )
    # Lifecycle: a closed case past retention (a batch), a hold, a suspension, an incident.
    third = Person.objects.create(
        organisation=org_a, family_name="古田", given_name="昔", family_name_kana="ふるた"
    )
    Case.objects.create(
        organisation=org_a, person=third, status=Case.Status.CLOSED,
        opened_on=today - dt.timedelta(days=4000), closed_on=today - dt.timedelta(days=3000),
    )  # fmt: skip
    retention.prepare_retention_batch(org_a)
    retention.place_hold(second, reason="照会に対応中", by=admin_a.user)
    retention.record_request(
        second, kind="suspension", received_on=today, details="", by=admin_a.user
    )
    incident = breach.record_incident(
        org_a, kind="lost_device", summary="USBメモリ紛失", discovered_by="職員",
        discovered_at=timezone.now(), by=admin_a.user,
    )  # fmt: skip
    AffectedPerson.objects.create(organisation=org_a, incident=incident, person=person_a)

    # Notifications: an item in the admin's inbox.
    notify([admin_a], restriction.RESTRICTED_OPENED, subject="記録が開かれました", link="/")
    # A restricted person worker_a is not assigned to: worker_a may only break the glass.
    hidden = Person.objects.create(
        organisation=org_a, family_name="秘匿", given_name="花", family_name_kana="ひとく"
    )
    Case.objects.create(organisation=org_a, person=hidden)
    restriction.restrict(hidden, by=coordinator_a.user, reason="hiding")

    # Imports: a file checked and waiting for confirmation, and one imported with a rejected row.
    wizard = (Path(__file__).parent / "data" / "wizard.xlsx").read_bytes()
    imports.upload(
        by=coordinator_a.user, organisation=org_a, kind="people", filename="名簿.xlsx", data=wizard
    )
    done = imports.upload(
        by=coordinator_a.user, organisation=org_a, kind="people", filename="名簿2.xlsx", data=wizard
    )
    imports.set_mapping(
        done,
        by=coordinator_a.user,
        mapping={"利用者コード": "external_id", "生まれた日": "birth_date"},
    )
    imports.confirm(done, by=coordinator_a.user, only_valid=True)
    imports.run_job(done)
    # People who may be one person: an open question for a coordinator.
    PossibleDuplicate.objects.create(
        organisation=org_a, person=person_a, other=second, reasons=["reading_birth"]
    )
    # Staff: an invitation to an account that belongs nowhere yet.
    invitee = User.objects.create_user(username="invitee", password="x" * 12)
    accounts.invite(org_a, "invitee", Role.WORKER, by=admin_a.user)
    # Exchange: an archive of the whole organisation, made for its admin.
    settings.IBASHO_EXPORT_DIR = tmp_path / "exports"
    run_export(exchange.start_organisation_export(org_a, passphrase="p" * 12, by=admin_a.user))
    # Provisions: a referral's provision record, kept with a snapshot of the person's name.
    provisions.record_provision(
        organisation=org_a, person=person_a, recipient_organisation=org_b, items=["profile"],
        basis="consent", via="referral", actor=coordinator_a,
    )  # fmt: skip
    # Meetings: a 支援会議 convened by A with B taking part (B's worker is not a member); A's
    # worker acknowledged, brought A's person and shared their profile.
    meeting = meetings.create_meeting(
        coordinator_a, title="支援会議", held_on=today, law="self_reliance_9", organisations=[org_b]
    )
    meetings.add_member(meeting_access.meeting_for(coordinator_a, meeting.code), worker_a)
    meetings.add_outside_participant(
        meeting_access.meeting_for(coordinator_a, meeting.code), name="佐藤", affiliation="保健所"
    )
    seat = meeting_access.meeting_for(worker_a, meeting.code)
    meetings.acknowledge(seat)
    seat = meeting_access.meeting_for(worker_a, meeting.code)
    meetings.share(seat, meetings.bring_person(seat, person_a), items=["profile"])
    # Referrals: one waiting at a third organisation, one it declined (to send again).
    org_c = Organisation.objects.create(name="第三の相談室", prefecture="14")
    coordinator_c = Membership.objects.create(
        organisation=org_c, role=Role.COORDINATOR,
        user=User.objects.create_user(username="coordinator_c", password="x" * 12),
    )  # fmt: skip
    reason_c = referrals.add_decline_reason(by=coordinator_c, label="定員超過")
    referrals.add_decline_reason(by=coordinator_a, label="対象外")
    record_consent(person_a, by=by, purpose=Consent.Purpose.SHARING)
    declined = referrals.send_referral(
        person_a, by=worker_a, recipient_organisation=org_c, items=["profile"]
    )
    referrals.decline_referral(declined, by=coordinator_c, reason=reason_c)
    referrals.send_referral(
        person_a, by=worker_a, recipient_organisation=org_c, items=["profile", "contacts"],
        note="手紙が好き",
    )  # fmt: skip
    # Contact details: an address, a phone, an emergency contact and a benefit.
    people_services.save_contact_details(
        person_a, by=by, postcode="100-0001", street="千代田灯台下1-2", directions="ZQXDIRECTIONS",
        emergency_name="ZQXEMERGENCY", phones=[{"label": "携帯", "number": "090-5555-0101"}],
        benefits=[{"kind": "disability_certificate", "grade": "ZQXGRADE"}],
    )  # fmt: skip
    # What shows a person: names (whole, or each part as the API gives them) and free text.
    markers = [
        text
        for p in Person.objects.filter(organisation=org_a)
        for text in (p.full_name, p.family_name, p.given_name, p.own_words, p.things_to_avoid)
    ]
    markers += [household_a.name, *(m.name for m in household_a.members.all())]
    markers += [c.note for c in Contact.objects.filter(organisation=org_a)]
    markers += ["千代田灯台下1-2", "ZQXDIRECTIONS", "ZQXEMERGENCY", "090-5555-0101", "ZQXGRADE"]
    return World(
        markers=[m for m in markers if m],
        staff=[admin_a, coordinator_a, worker_a],
        invitee=invitee,
        outsider=worker_b,
        analyst=analyst_a,
        organisation=org_a,
    )


# -- the walk ------------------------------------------------------------------------------


@dataclass
class Route:
    route: str  # e.g. "people/<uuid:code>/" or "api/v1/people/<code>"
    api: bool
    params: list[tuple[str, str]] = field(default_factory=list)  # (converter, name)

    def url(self, values: dict[str, str]) -> str:
        return "/" + PARAMETER.sub(
            lambda m: values[m["name"]] if m["name"] in values else PAGE_KINDS[m["name"]],
            self.route,
        )

    @property
    def openapi_path(self) -> str:
        return "/" + PARAMETER.sub(lambda m: "{" + m["name"] + "}", self.route)


def walk(patterns: list[Any], prefix: str = "", api_: bool = False) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, api_ or pattern.namespace == "api")
        elif isinstance(pattern, URLPattern):
            params = [
                (m["converter"] or "str", m["name"])
                for m in PARAMETER.finditer(route)
                if m["name"] not in PAGE_KINDS
            ]
            yield Route(route, api_, params)


def every_route() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns):
        if not route.route.startswith(LEFT_OUT):
            seen.setdefault(route.route, route)  # the API lists a path once per method
    return list(seen.values())


ROUTES = every_route()


def test_the_walk_finds_the_web_pages_and_the_api():
    found = {r.route for r in ROUTES}
    assert {"people/<uuid:code>/", "api/v1/people/<code>", "outreach/"} <= found
    assert len([r for r in ROUTES if r.params]) > 40


# -- requests ------------------------------------------------------------------------------


class Caller:
    """Someone signed in: on the web (session) and, for a member of staff, in the API (token)."""

    def __init__(self, user: Any, membership: Any = None, api_client_for: Any = None):
        self.user = user
        self.web = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.web.force_login(user)
        self.api: Client | None = api_client_for(membership) if membership else None

    @classmethod
    def member(cls, membership: Any, api_client_for: Any) -> "Caller":
        return cls(membership.user, membership, api_client_for)

    def __repr__(self) -> str:
        return self.user.username

    def request(self, route: Route, method: str, url: str) -> Any:
        client = self.api if route.api else self.web
        if client is None:  # no token: the API answers 401 whatever the route
            client = Client()
        if method == "GET":
            return client.get(url)
        if not route.api:
            return client.post(url, {})
        body = json.dumps(example_body(route, method))
        return client.generic(method, url, body, content_type="application/json")


@functools.cache
def openapi() -> dict[str, Any]:
    return api.get_openapi_schema()


def api_methods(route: Route) -> list[str]:
    """The operation's methods; the API's own pages (docs, schema) are GET only."""
    operations = openapi()["paths"].get(route.openapi_path, {"get": {}})
    return [m.upper() for m in operations if m in ("get", "post", "put", "patch", "delete")]


def methods_of(route: Route) -> tuple[str, ...]:
    return tuple(api_methods(route)) if route.api else WEB_METHODS


def example_body(route: Route, method: str) -> Any:
    """The smallest body the API's schema accepts, so that a write reaches its guard."""
    schema = openapi()
    operation = schema["paths"][route.openapi_path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return {}
    return example(content["application/json"]["schema"], schema["components"]["schemas"])


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return example(schema[key][0], components)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {n: example(properties[n], components) for n in schema.get("required", [])}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    formats = {
        "uuid": str(uuid.uuid4()),
        "date": dt.date.today().isoformat(),
        "date-time": timezone.now().isoformat(),
    }
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


@dataclass
class Answer:
    status: int
    body: str

    @classmethod
    def of(cls, response: Any, values: dict[str, str]) -> "Answer":
        """The status and what is shown, with the values asked for and the (per response)
        CSRF tokens written out of it."""
        body = CSRF.sub("<csrf>", shown(response))
        for name, value in values.items():
            body = body.replace(value, f"<{name}>")
        return cls(response.status_code, body)


def shown(response: Any) -> str:
    """What a response shows, as text (JSON decoded, so that Japanese is not escaped)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if response.get("Content-Type", "") == "application/pdf":
        return response.content.decode("latin-1")  # a file: compared, never read as text
    return response.content.decode() if hasattr(response, "content") else ""


def rolled_back(caller: Caller, route: Route, method: str, values: dict[str, str]) -> Any:
    """Request without keeping what it wrote; also say whether it wrote an audit entry."""
    with transaction.atomic():
        before = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
        response = caller.request(route, method, route.url(values))
        audited = AuditEntry.objects.filter(id__gt=before, actor=caller.user).exists()
        transaction.set_rollback(True)
    assert response.status_code < 500, (route.route, method, caller)
    return response, audited


# -- which of A's records a route takes --------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    value: str
    words: str  # the model's names, to match against the route's words
    key: tuple[str, str, int]  # model, field, rank: the same record in another test's world


def candidates(organisation: Any) -> dict[str, list[Candidate]]:
    """Every code of A's records (and every instrument code of A's own), to try in a route's
    parameters."""
    found: dict[str, list[Candidate]] = {"uuid": [], "str": []}
    with translation.override("en"):
        for model in organisation_keyed():
            if "code" not in {f.name for f in model._meta.fields}:
                continue
            label = model._meta.label
            words = f"{model.__name__} {model._meta.verbose_name_plural}".lower()
            rows = model._base_manager.filter(organisation=organisation).order_by("id")
            codes = rows.values_list("code", flat=True)
            found["uuid"] += [
                Candidate(str(c), words, (label, "code", n)) for n, c in enumerate(codes)
            ]
            for name in (f.name for f in model._meta.fields if f.name.endswith("_code")):
                values = sorted({str(v) for v in rows.values_list(name, flat=True)} - {"", "None"})
                found["str"] += [
                    Candidate(v, words, (label, name, n)) for n, v in enumerate(values)
                ]
    found["str"] += found["uuid"]  # the API's path parameters are strings holding UUIDs
    return found


# Which records fitted each route, found once and looked up again in the next test's world.
FITTED: dict[str, tuple[tuple[str, str, int], ...]] = {}


def likely_first(route: Route, name: str, pool: list[Candidate]) -> list[Candidate]:
    """Candidates in the order most likely to fit: a record whose names match the parameter's
    name (`<enrolment>`) or the word before it (`households/<code>`) first."""
    before = route.route[: route.route.index(f"{name}>")].rsplit("<", 1)[0]
    word = before.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").rstrip("s")

    def score(item: Candidate) -> int:
        return 2 * (name != "code" and name in item.words) + bool(word and word in item.words)

    return sorted(pool, key=score, reverse=True)


def nonexistent(route: Route) -> dict[str, str]:
    """Values that name nothing, in the parameters' own forms."""
    return {
        name: str(uuid.uuid4()) if takes_uuid(route, converter, name) else "no-such-code"
        for converter, name in route.params
    }


def takes_uuid(route: Route, converter: str, name: str) -> bool:
    if not route.api:
        return converter == "uuid"
    operations = openapi()["paths"][route.openapi_path].values()
    formats = {
        p["schema"].get("format")
        for operation in operations
        for p in operation.get("parameters", [])
        if p["in"] == "path" and p["name"] == name
    }
    return formats == {"uuid"}


@dataclass
class Found:
    values: dict[str, str]
    method: str  # one the staff member used it with


def find_values(route: Route, world: World, staff: list[Caller]) -> Found:
    """The first values of A's records for which A's staff get another answer than for values
    that name nothing."""
    pool = candidates(world.organisation)
    names = [name for _, name in route.params]
    orders = [likely_first(route, name, pool[conv] or pool["str"]) for conv, name in route.params]
    combinations = itertools.islice(itertools.product(*orders), 300)
    if route.route in FITTED:
        by_key = {c.key: c for candidates_ in pool.values() for c in candidates_}
        combinations = itertools.chain(
            [tuple(by_key[key] for key in FITTED[route.route])], combinations
        )
    missing = nonexistent(route)
    answers_for_missing: dict[tuple[int, str], Answer] = {}
    for combination in combinations:
        values = dict(zip(names, (c.value for c in combination), strict=True))
        for index, caller in enumerate(staff):
            for method in methods_of(route):
                response = rolled_back(caller, route, method, values)[0]
                if response.status_code == 405:
                    continue
                if (index, method) not in answers_for_missing:
                    answer = rolled_back(caller, route, method, missing)[0]
                    answers_for_missing[index, method] = Answer.of(answer, missing)
                if Answer.of(response, values) != answers_for_missing[index, method]:
                    FITTED[route.route] = tuple(c.key for c in combination)
                    return Found(values, method)
    raise AssertionError(f"No record of organisation A fits {route.route}: add one to `world`.")


def shows_a_person(response: Any, markers: list[str]) -> bool:
    text = shown(response)
    return any(marker in text for marker in markers)


def is_record_code(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def organisation_keyed() -> list[type[models.Model]]:
    """The models whose rows belong to one organisation (unscoped: the base manager)."""
    return [m for m in apps.get_models() if "organisation" in {f.name for f in m._meta.fields}]


# Written by reads themselves: the audit trail, and a token's "last used".
TOUCHED_BY_READS = {"audit.AuditEntry", "accounts.ApiToken"}


def digest(organisation: Any) -> dict[str, list[dict[str, Any]]]:
    """All of A's rows, to show that a request changed none of them."""
    return {
        model._meta.label: list(
            model._base_manager.filter(organisation=organisation).order_by("id").values()
        )
        for model in organisation_keyed()
        if model._meta.label not in TOUCHED_BY_READS
    }


@pytest.fixture
def callers(world, api_client_for) -> dict[str, Any]:
    return {
        # Whoever may use A's records: its staff, and for an invitation the account invited.
        "staff": [
            *(Caller.member(m, api_client_for) for m in world.staff),
            Caller(world.invitee),
        ],
        "outsider": Caller.member(world.outsider, api_client_for),
        "analyst": Caller.member(world.analyst, api_client_for),
    }


WITH_CODES = [r for r in ROUTES if r.params]
WITHOUT_CODES = [r for r in ROUTES if not r.params]


def route_id(route: Route) -> str:
    return route.route or "/"


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("route", WITH_CODES, ids=route_id)
def test_a_code_of_a_is_not_found_by_an_outsider_or_an_analyst(route, world, callers):
    found = find_values(route, world, callers["staff"])
    missing = nonexistent(route)
    records = all(is_record_code(v) for v in found.values.values())
    # A record that shows a person to A's staff is personal; an aggregate (a report) is not.
    personal = "GET" not in methods_of(route) or any(
        shows_a_person(rolled_back(member, route, "GET", found.values)[0], world.markers)
        for member in callers["staff"]
    )
    before = digest(world.organisation)
    for method in methods_of(route):
        outsider = callers["outsider"].request(route, method, route.url(found.values))
        like_missing = callers["outsider"].request(route, method, route.url(missing))
        # Nothing in the answer tells that A's record exists (405: the method is not offered)...
        assert Answer.of(outsider, found.values) == Answer.of(like_missing, missing), method
        if records:
            # ...and a record's code is simply not found, also by A's own analyst.
            analyst = callers["analyst"].request(route, method, route.url(found.values))
            # 405 only for a method the route does not offer (the same for any code).
            allowed = {404} if method == found.method else {404, 405}
            assert outsider.status_code in allowed, method
            assert not shows_a_person(analyst, world.markers), method
            if personal:
                assert analyst.status_code in allowed, method
    assert digest(world.organisation) == before


@pytest.mark.parametrize("route", WITHOUT_CODES, ids=route_id)
def test_a_route_without_a_code_shows_no_one_of_a_to_an_outsider_or_an_analyst(
    route, world, callers
):
    personal = any(
        shows_a_person(response, world.markers)
        for response in (rolled_back(member, route, "GET", {})[0] for member in callers["staff"])
    )
    before = digest(world.organisation)
    outsider = callers["outsider"].request(route, "GET", route.url({}))
    analyst = callers["analyst"].request(route, "GET", route.url({}))
    assert not shows_a_person(outsider, world.markers)
    assert not shows_a_person(analyst, world.markers)
    if personal:
        assert analyst.status_code == 404
    for method in methods_of(route):
        if method != "GET":
            callers["outsider"].request(route, method, route.url({}))
            callers["analyst"].request(route, method, route.url({}))
    assert digest(world.organisation) == before


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_a_read_that_shows_a_person_is_audited(route, world, callers):
    values = find_values(route, world, callers["staff"]).values if route.params else {}
    for member in callers["staff"]:
        response, audited = rolled_back(member, route, "GET", values)
        if response.status_code == 200 and shows_a_person(response, world.markers):
            assert audited, f"GET {route.route} as {member} showed a person unaudited"
