"""The household risk board: household records turned into risk facts, assessed and ordered."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ibasho.families import risk
from ibasho.families.models import HouseholdCircumstances, SafetyEvent
from ibasho.people.models import Case, FamilyMember, Household, Person

PARENTS = (FamilyMember.Relationship.MOTHER, FamilyMember.Relationship.FATHER)


def board_households(membership: Any, *, open_cases_only: bool = True) -> QuerySet[Household]:
    """Households (by default those of people with an open case), with what the risk rules need
    fetched at once."""
    open_violence = SafetyEvent.objects.filter(
        person__household=OuterRef("pk"),
        board_signal=True,  # violence: the kind itself is encrypted
        resolved_at__isnull=True,
    )
    households = Household.objects.visible_to(membership)
    if open_cases_only:
        households = households.filter(people__cases__status=Case.Status.OPEN).distinct()
    return (
        households.annotate(open_violence=Exists(open_violence))
        .select_related("circumstances")
        .prefetch_related(
            # Only what the rules and the board show: decrypting every note would dominate.
            Prefetch(
                "members",
                queryset=FamilyMember.objects.filter(relationship__in=PARENTS).defer("care_notes"),
                to_attr="parents",
            ),
            Prefetch(
                "people",
                queryset=Person.objects.order_by("sort_key").defer(*Person.ENCRYPTED_FIELDS),
                to_attr="persons",
            ),
        )
    )


def circumstances_of(household: Household) -> HouseholdCircumstances | None:
    try:
        return household.circumstances  # type: ignore[attr-defined,no-any-return]
    except HouseholdCircumstances.DoesNotExist:
        return None


def facts_for(household: Household, today: dt.date) -> risk.HouseholdFacts:
    """Risk facts of a household fetched through `board_households`."""
    found = circumstances_of(household)
    return risk.HouseholdFacts(
        parents=tuple(
            risk.ParentFacts(
                label=f"{m.name} ({m.get_relationship_display()})",
                age=m.age_on(today),
                status=risk.ParentStatus(m.health),
                status_changed_on=m.health_changed_on,
            )
            for m in household.parents  # type: ignore[attr-defined]
        ),
        people=tuple(
            risk.PersonFacts(age=p.age_on(today), withdrawn_since=p.withdrawal_since)
            for p in household.persons  # type: ignore[attr-defined]
        ),
        income_stopping=bool(found and found.income_stopping),
        no_outside_contact=bool(found and found.no_outside_contact),
        violence=bool(found and found.violence) or bool(getattr(household, "open_violence", False)),
    )


def assess_all(
    households: QuerySet[Household], today: dt.date, limits: risk.Thresholds
) -> list[tuple[Household, risk.HouseholdRisk]]:
    """Households with at least one signal, in board order."""
    assessed = ((h, risk.assess(facts_for(h, today), today, limits)) for h in households)
    return risk.board_order((h, r) for h, r in assessed if r.signals)


def suddenly_changed_parents(
    parents: QuerySet[FamilyMember], today: dt.date, top_days: int
) -> QuerySet[FamilyMember]:
    """Of `parents`, the mothers and fathers who went into hospital or care, or died, within
    `top_days` (found by the column kept on write: the health itself is encrypted)."""
    return changed_between(parents, today - dt.timedelta(days=top_days), today)


def changed_between(parents: QuerySet[FamilyMember], since: Any, until: Any) -> Any:
    """`suddenly_changed_parents` from `since` to `until` (dates, or slots of a prepared query)."""
    return parents.filter(
        relationship__in=PARENTS,
        board_signal=True,
        health_changed_on__gte=since,
        health_changed_on__lte=until,
    )


def recently_changed(
    households: QuerySet[Household], organisation_id: int, today: dt.date, limits: risk.Thresholds
) -> QuerySet[Household]:
    """Households where a parent went into hospital or care, or died, within `top_days`."""
    # A subquery over the (few) recently changed parents, not a join of every member.
    changed = suddenly_changed_parents(
        FamilyMember.objects.filter(organisation_id=organisation_id), today, limits.top_days
    )
    return households.filter(pk__in=changed.values("household_id"))
