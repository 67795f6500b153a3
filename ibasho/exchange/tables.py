"""Which tables hold an organisation's records and which hold one person's, found by walking
the models of Ibasho's own apps rather than listed by hand, so that a model added later is
exported as soon as it exists. A model the walk cannot reach must be named below with the
reason it is left out (the tests fail otherwise)."""

from __future__ import annotations

import graphlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from ibasho.accounts.models import Organisation, User
from ibasho.audit.models import AuditEntry
from ibasho.people.models import Household, Person

# Domain models that the organisation export leaves out, with the reason. (Models of Django
# and of libraries — sessions, permissions, the task queue, login attempts — are not the
# organisation's records and are never exported.)
ORGANISATION_EXCLUDED: dict[str, str] = {
    # A support meeting links organisations: these rows point at other organisations' staff,
    # organisations or meetings, which an archive (loaded into an empty installation) cannot
    # carry. The meeting itself is exported, and the provision records say what was shared.
    "meetings.MeetingOrganisation": "links the meeting to other organisations",
    "meetings.MeetingMember": "links the meeting to other organisations' staff",
    "meetings.SharedPerson": "links the person to a meeting that may be another "
    "organisation's; the provision records (exported) say what was shared with whom",
    "exchange.OrganisationExport": "jobs that wrote archives like this one (and hold a "
    "passphrase while they run); not the organisation's records",
    "referrals.Referral": "a referral joins two organisations of one installation (it names the "
    "receiving one); an archive carries one organisation. What went where stays in the "
    "provision records, which are exported",
}

# Domain models that hold no record about one person, with the reason the per-person export
# leaves them out. Every other model reachable from a person or their household is included.
PERSON_EXCLUDED: dict[str, str] = {
    "accounts.Organisation": "the organisation itself, named on the cover instead",
    "accounts.User": "staff accounts; the staff who acted are named on each record",
    "accounts.Membership": "staff roles, not about the person",
    "accounts.Invitation": "staff invitations, not about the person",
    "accounts.ApiToken": "integration credentials, not about the person",
    "audit.AuditEntry": "included separately: the entries that name the person",
    "outreach.OutreachSettings": "the organisation's settings",
    "programmes.Programme": "the organisation's programmes; attendance names the session",
    "programmes.Session": "programme sessions shared by everyone who attends",
    "programmes.MeasurementPoint": "when a programme measures, not anyone's answers",
    "families.RiskSettings": "the organisation's risk thresholds",
    "families.CrisisContact": "the organisation's list of crisis services",
    "lifecycle.Incident": "the organisation's breach record; the person's part is their "
    "AffectedPerson row, which is exported",
    "lifecycle.RetentionSettings": "the organisation's retention periods",
    "lifecycle.ShreddingBatch": "a batch of shredding as a whole; the person's part is their "
    "own batch entry",
    "notifications.EmailPreference": "a member of staff's e-mail choices",
    "notifications.Notification": "staff members' inbox items, which name no person",
    "imports.ImportJob": "an import of many people at once; the person's records it made are "
    "exported themselves",
    "imports.ColumnMapping": "the organisation's remembered column headings",
    "imports.ImportedRow": "the external id a record came from in an imported file",
    "outcomes.InstrumentDefinition": "questionnaire definitions; answers are included",
    "reports.ReportSettings": "the organisation's suppression threshold",
    "reports.PopulationFigure": "published population statistics",
    "reports.ReportJob": "aggregate figures, never one person's",
    "exchange.OrganisationExport": "jobs exporting the whole organisation",
    "meetings.SupportMeeting": "a meeting about many people; the person's part is what was "
    "shared about them (their SharedPerson row, which is exported)",
    "meetings.MeetingOrganisation": "the organisations taking part in a meeting",
    "meetings.MeetingMember": "the staff present at a meeting",
    "meetings.OutsideParticipant": "staff of other agencies present at a meeting",
    "referrals.DeclineReason": "the organisation's reasons for declining referrals",
    "referrals.ReferralSettings": "the organisation's age limit for referrals",
}


def domain_models() -> list[type[models.Model]]:
    """Every concrete model of Ibasho's own apps (ibasho.*)."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("ibasho.") and not model._meta.auto_created
    ]


def _fk_fields(model: type[models.Model]) -> list[models.ForeignKey]:  # type: ignore[type-arg]
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _organisation_field(model: type[models.Model]) -> models.ForeignKey | None:  # type: ignore[type-arg]
    for field in _fk_fields(model):
        if field.related_model is Organisation:
            return field
    return None


# -- the organisation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One exported table: a model (or an automatic many-to-many table) and how to find the
    organisation's rows in it."""

    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def name(self) -> str:
        return self.model._meta.label_lower

    def rows(self, organisation_id: int) -> models.QuerySet[Any]:
        manager = self.model._base_manager  # every row, no scope: this is ops code
        if self.model is Organisation:
            return manager.filter(pk=organisation_id)
        if self.model is User:
            member = models.Q(memberships__organisation_id=organisation_id)
            acted = models.Q(pk__in=_users_named(organisation_id))
            return manager.filter(member | acted).distinct()
        field = _organisation_field(self.model)
        if field is not None:
            return manager.filter(**{field.attname: organisation_id})
        # An automatic many-to-many table: rows whose owner is the organisation's.
        owner = next(f for f in _fk_fields(self.model) if f.related_model is not User)
        owners = Table(owner.related_model).rows(organisation_id).values("pk")  # type: ignore[arg-type]
        return manager.filter(**{f"{owner.attname}__in": owners})


def _users_named(organisation_id: int) -> set[int]:
    """Accounts that the organisation's records name (an actor who has since left)."""
    found: set[int] = set()
    for model in organisation_models():
        key = _organisation_field(model)
        assert key is not None
        for field in _fk_fields(model):
            if field.related_model is User:
                found |= set(
                    model._base_manager.filter(**{key.attname: organisation_id})
                    .exclude(**{field.attname: None})
                    .values_list(field.attname, flat=True)
                    .distinct()
                )
    return found


def organisation_models() -> list[type[models.Model]]:
    return [
        m
        for m in domain_models()
        if _organisation_field(m) is not None and m._meta.label not in ORGANISATION_EXCLUDED
    ]


def organisation_tables() -> list[Table]:
    """The organisation's tables, each after the tables it refers to (so they load in order)."""
    chosen: list[type[models.Model]] = [Organisation, User, *organisation_models()]
    for model in list(chosen):
        for m2m in model._meta.local_many_to_many:
            through: Any = m2m.remote_field.through
            if through._meta.auto_created and model is not User:
                chosen.append(through)
    graph: dict[type[models.Model], set[type[models.Model]]] = {m: set() for m in chosen}
    for model in chosen:
        for field in _fk_fields(model):
            if field.related_model in graph and field.related_model is not model:
                graph[model].add(field.related_model)  # type: ignore[arg-type]
    return [Table(m) for m in graphlib.TopologicalSorter(graph).static_order()]


def unexported_domain_models() -> list[str]:
    """Domain models neither exported with the organisation nor excluded with a reason."""
    exported = {t.label for t in organisation_tables()}
    return sorted(
        m._meta.label
        for m in domain_models()
        if m._meta.label not in exported and m._meta.label not in ORGANISATION_EXCLUDED
    )


# -- one person ------------------------------------------------------------------------------


def _person_field(model: type[models.Model]) -> models.ForeignKey | None:  # type: ignore[type-arg]
    for field in _fk_fields(model):
        if field.related_model is Person:
            return field
    return None


def person_models() -> list[type[models.Model]]:
    """Models holding records about a person, each after the ones it is reached through: those
    with a key to the person or their household, then those with a key to one of those."""
    reached: list[type[models.Model]] = [Person, Household]
    candidates = [
        m
        for m in domain_models()
        if m not in reached
        and m._meta.label not in PERSON_EXCLUDED
        and _organisation_field(m) is not None
    ]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in reached:
                continue
            if any(f.related_model in reached for f in _fk_fields(model)):
                reached.append(model)
                grew = True
    return reached


def unreached_person_models() -> list[str]:
    """Domain models neither in the per-person export nor excluded with a reason."""
    reached = {m._meta.label for m in person_models()}
    return sorted(
        m._meta.label
        for m in domain_models()
        if m._meta.label not in reached and m._meta.label not in PERSON_EXCLUDED
    )


def person_rows(person: Person) -> dict[type[models.Model], list[models.Model]]:
    """Every row held about the person, model by model. A record with a key to a person counts
    only when it is this person's; one without (a household's record, a family member's
    answers) counts when it hangs from one of this person's records."""
    found: dict[type[models.Model], list[models.Model]] = {Person: [person]}
    household = (
        Household._base_manager.filter(pk=person.household_id).first()
        if person.household_id
        else None
    )
    found[Household] = [household] if household else []
    for model in person_models()[2:]:
        manager = model._base_manager.filter(organisation_id=person.organisation_id)
        own = _person_field(model)
        links = models.Q()
        for field in _fk_fields(model):
            if field is own or field.related_model not in found:
                continue
            ids = [row.pk for row in found[field.related_model]]  # type: ignore[index]
            if ids:
                links |= models.Q(**{f"{field.attname}__in": ids})
        if own is not None:
            query = models.Q(**{own.attname: person.pk})
            if links:
                query |= models.Q(**{f"{own.attname}__isnull": True}) & links
        elif links:
            query = links
        else:
            found[model] = []
            continue
        related = [f.name for f in _fk_fields(model) if f.related_model is not Organisation]
        found[model] = list(manager.filter(query).select_related(*related).order_by("pk"))
    return found


def audit_about(person: Person) -> models.QuerySet[AuditEntry]:
    """Who read or changed the person's records, and when."""
    return (
        AuditEntry.objects.filter(organisation_id=person.organisation_id, person_code=person.code)
        .select_related("actor")
        .order_by("at", "id")
    )
