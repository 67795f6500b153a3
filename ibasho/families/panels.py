"""What family support adds to the person page, the household page and the Today page."""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ibasho.accounts.http import MemberRequest
from ibasho.families import board, risk
from ibasho.families.forms import ConsultationForm, HealthForm
from ibasho.families.models import (
    BehaviourChange,
    ContingencyPlan,
    CrisisContact,
    RiskSettings,
    SafetyEvent,
)
from ibasho.lib.panels import Action, Fact
from ibasho.lib.prepared import PERSON, Pending, Prepared, Slot
from ibasho.outreach.models import Contact
from ibasho.people.models import Case, FamilyMember, Household, Person

_PERSON_EVENTS = Prepared(
    SafetyEvent,
    lambda member: (
        SafetyEvent.objects.visible_to(member)
        .unresolved()
        .filter(person_id=PERSON)
        # Usually none: who acknowledged is read only when there is an event.
        .prefetch_related("acknowledged_by")
    ),
    per_member=True,
)


def open_safety_events(request: MemberRequest, person: Person) -> list[SafetyEvent]:
    """The person's unresolved safety events, read once per request: the summary's banner
    lists them and its safety line counts them."""
    asked: dict[int, list[SafetyEvent]] = request.__dict__.setdefault("_open_safety_events", {})
    if person.pk not in asked:
        asked[person.pk] = _PERSON_EVENTS.fetch(membership=request.membership, person=person.pk)
    return asked[person.pk]


def safety_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """Unresolved safety events, at the top of the person's page; hidden when there are none."""
    events = open_safety_events(request, person)
    if not events:
        return None
    return {
        "events": events,
        "person": person,
        "crisis_contacts": CrisisContact.objects.filter(organisation_id=person.organisation_id),
        "can_acknowledge": request.membership.is_supervisor,
    }


def safety_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """The safety state in one line of the person's summary."""
    if not request.membership.reads_personal_data:
        return None
    open_events = len(open_safety_events(request, person))
    records = reverse("people:person_records", args=[person.code])
    if open_events:
        value = ngettext("%(n)s open safety event", "%(n)s open safety events", open_events) % {
            "n": open_events
        }
    else:
        value = _("No open safety event")
    return {
        "facts": [
            Fact(
                _("Safety"),
                value,
                records + "#safety-panel" if open_events else "",
                bool(open_events),
            )
        ],
        "actions": [
            Action(
                _("Record a safety event"), reverse("families:safety_create", args=[person.code])
            )
        ],
    }


def family_panel(request: MemberRequest, person: Person) -> dict[str, Any]:
    """The household's risk signals and the family's reports of the person's steps."""
    membership = request.membership
    signals: tuple[Any, ...] = ()
    if person.household_id:
        household = (
            board.board_households(membership, open_cases_only=False)
            .filter(pk=person.household_id)
            .first()
        )
        if household is not None:
            today = person.organisation.today()
            limits = RiskSettings.thresholds_for(membership.organisation_id)
            signals = board.risk.assess(board.facts_for(household, today), today, limits).signals
    changes = BehaviourChange.objects.visible_to(membership).filter(person=person)[:5]
    return {"person": person, "signals": signals, "changes": changes}


def household_panel(request: MemberRequest, household: Household) -> dict[str, Any]:
    """Risk signals, parents' health, the contingency plan and family consultations."""
    membership = request.membership
    today = membership.organisation.today()
    limits = RiskSettings.thresholds_for(membership.organisation_id)
    found = (
        board.board_households(membership, open_cases_only=False).filter(pk=household.pk).first()
    )
    assessed = board.risk.assess(board.facts_for(found, today), today, limits) if found else None
    plan = ContingencyPlan.objects.visible_to(membership).filter(household=household).first()
    consultations = (
        Contact.objects.visible_to(membership)
        .filter(person__household=household, channel=Contact.Channel.FAMILY_CONSULTATION)
        .select_related("family_member", "person", "staff")[:10]
    )
    return {
        "household": household,
        "risk": assessed,
        "circumstances": board.circumstances_of(household),
        "parents": household.members.filter(relationship__in=board.PARENTS),
        "plan": plan,
        "review_due": plan is None or plan.review_due(today),
        "consultations": consultations,
        "consultation_form": ConsultationForm(household=household, membership=membership),
        # A consultation needs a family member and a person it is about.
        "can_consult": household.members.exists() and household.people.exists(),
        "health_form": HealthForm(),
    }


# Today's lists are usually empty: their related rows are fetched by a second query when
# there are rows (`prefetch_related`), not joined into a query compiled on every view.


def my_open_cases(membership: Any) -> Any:
    """The member's own open cases (used as a subquery)."""
    return Case.objects.filter(
        organisation_id=membership.organisation_id,
        workers=membership.user_id,
        status=Case.Status.OPEN,
    )


DAY = Slot("day", models.DateField())

# Today's three lists, compiled once (ibasho.lib.prepared): a parent's sudden change in the
# member's households, their people's open safety events, plan reviews. The sudden changes
# are read up to today from the first (a few: parents of the member's own cases whose health
# went to hospital, care or death), so that they can be asked for before the organisation's
# window (`top_days`) is known, and cut to it in `sudden_changes`.
_SUDDEN_CHANGES = Prepared(
    FamilyMember,
    lambda member: (
        board.changed_between(
            FamilyMember.objects.visible_to(member).filter(
                household__in=my_open_cases(member).values("person__household_id")
            ),
            dt.date.min,
            DAY,
        )
        .order_by("-health_changed_on", "household_id", "pk")
        .values_list(
            "household_id",
            "household__code",
            "household__name",
            "name",
            "relationship",
            "health",
            "health_changed_on",
        )
    ),  # fmt: skip
    per_member=True,
)


def _open_events(member: Any) -> Any:
    wanted = Q(person_id__in=my_open_cases(member).values("person_id"))
    if member.is_supervisor:
        wanted |= Q(acknowledged_at__isnull=True)
    # The panel shows the person's name and link only: their encrypted notes stay unread.
    return (
        SafetyEvent.objects.visible_to(member)
        .unresolved()
        .filter(wanted)
        .defer("description", "resolution")
        .prefetch_related(
            Prefetch("person", Person.unscoped.defer(*Person.ENCRYPTED_FIELDS, "search_text"))
        )
    )


_OPEN_EVENTS = Prepared(SafetyEvent, _open_events, per_member=True)
_PLANS = Prepared(
    ContingencyPlan,
    lambda member: (
        ContingencyPlan.objects.visible_to(member)
        .filter(household__in=my_open_cases(member).values("person__household_id"))
        .only("household_id", "last_reviewed_on", "review_every_months")
        .prefetch_related(Prefetch("household", Household.unscoped.only("code", "name")))
    ),
    per_member=True,
)


def sudden_changes(
    parents: list[tuple[Any, ...]], today: dt.date, top_days: int
) -> list[tuple[Household, list[dict[str, Any]]]]:
    """The worker's households where a parent went into hospital or care, or died, within
    `top_days`: the changes themselves (`parents`, read by `_SUDDEN_CHANGES` newest first,
    found by the column kept on write). The household's whole risk is one link away, so it is
    not assessed here on every view."""
    first = today - dt.timedelta(days=top_days)
    relationships = dict(FamilyMember.Relationship.choices)
    healths = dict(FamilyMember.Health.choices)
    grouped: dict[int, tuple[Household, list[dict[str, Any]]]] = {}
    for household_id, code, household_name, name, relationship, health, since in parents:
        if since < first:
            break  # newest first: the rest are older still
        household = Household(id=household_id, code=code, name=household_name)
        _household, changes = grouped.setdefault(household_id, (household, []))
        changes.append(
            {
                "code": risk.STATUS_CODES.get(risk.ParentStatus(health), ""),
                "who": f"{name} ({relationships.get(relationship, relationship)})",
                "status": healths.get(health, health),
                "since": since,
            }
        )
    return list(grouped.values())


def today_queries(request: MemberRequest) -> list[Pending]:
    """The reads of `today_panel` (none for a member who reads no personal data)."""
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return []
    return [
        RiskSettings.query(membership.organisation_id),
        _SUDDEN_CHANGES.later(membership=membership, day=membership.organisation.today()),
        _OPEN_EVENTS.later(membership=membership),
        _PLANS.later(membership=membership),
    ]


def today_panel(request: MemberRequest, found: list[list[Any]]) -> dict[str, Any] | None:
    """For a worker: their households where a parent just went into hospital or care or died,
    their people's open safety events and plan reviews due. For a coordinator: also every
    safety event still waiting for acknowledgement. `found`: the rows of `today_queries`."""
    membership = request.membership
    if not found:
        return None
    today = membership.organisation.today()
    settings, parents, events, plans = found
    urgent = sudden_changes(parents, today, RiskSettings.thresholds_of(settings).top_days)
    reviews = [plan for plan in plans if plan.review_due(today)]
    if not (urgent or events or reviews):
        return None
    return {"urgent": urgent, "events": events, "reviews": reviews, "today": today}
