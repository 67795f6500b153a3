"""Writes to people's records: each in one transaction with its audit entry."""

from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone

from ibasho.audit.services import record_audit
from ibasho.people.models import Case, CaseAssignment, Consent, FamilyMember, Household, Person
from ibasho.people.signals import case_opened


@transaction.atomic
def create_person(form: ModelForm, *, by: Any, organisation: Any, assign: Any = None) -> Person:
    """Register a person and open a case for them, assigned to `assign` (a user) if given."""
    person: Person = form.save(commit=False)
    person.organisation = organisation
    person.save()
    case = open_case(person, by=by, worker=assign)
    record_audit(
        "people.person.created",
        by=by,
        organisation=organisation,
        target=person,
        person=person,
        fields=form.changed_data,
    )
    record_audit("people.case.opened", by=by, organisation=organisation, target=case, person=person)
    return person


@transaction.atomic
def open_case(person: Person, *, by: Any, worker: Any = None) -> Case:
    """Open a case for a person; apps that keep something per case (the outreach plan) add
    it on `case_opened`, in this transaction."""
    case = Case.objects.create(organisation_id=person.organisation_id, person=person)
    if worker is not None:
        CaseAssignment.objects.create(
            organisation_id=person.organisation_id, case=case, worker=worker
        )
    case_opened.send(sender=Case, case=case, by=by)
    return case


@transaction.atomic
def save_record(
    form: ModelForm,
    action: str,
    *,
    by: Any,
    organisation: Any,
    person: Person | None = None,
    **attrs: Any,
) -> Any:
    """Save a ModelForm for a tenant record and audit which fields changed (never values)."""
    record = form.save(commit=False)
    record.organisation = organisation
    for name, value in attrs.items():
        setattr(record, name, value)
    record.save()
    form.save_m2m()
    record_audit(
        action,
        by=by,
        organisation=organisation,
        target=record,
        person=person or (record if isinstance(record, Person) else None),
        fields=form.changed_data,
    )
    return record


def create_household_for(person: Person, form: ModelForm, *, by: Any) -> Household:
    with transaction.atomic():
        household = save_record(
            form, "people.household.created", by=by, organisation=person.organisation, person=person
        )
        person.household = household
        person.save(update_fields=["household", "updated_at"])
        record_audit(
            "people.person.changed",
            by=by,
            organisation=person.organisation,
            target=person,
            person=person,
            fields=["household"],
        )
    return household


def add_family_member(household: Household, form: ModelForm, *, by: Any) -> FamilyMember:
    member: FamilyMember = save_record(
        form,
        "people.family_member.created",
        by=by,
        organisation=household.organisation,
        household=household,
    )
    return member


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: Any) -> Consent:
    if consent.withdrawn_on is None:
        consent.withdrawn_on = timezone.localdate()
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        record_audit(
            "people.consent.withdrawn",
            by=by,
            organisation=consent.organisation,
            target=consent,
            person=consent.person,
            fields=["withdrawn_on"],
        )
    return consent
