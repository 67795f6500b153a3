"""Every tenant-owned table carries the organisation key, also in its unique constraints, so the
schema can be distributed by organisation (docs/scaling.md)."""

from django.apps import apps
from django.db import models

# One-to-one links keep Django's single-column unique index; docs/scaling.md lists the DDL that
# widens them to (organisation_id, column) on a distributed deployment.
ONE_TO_ONE_LINKS = {
    ("outreach.OutreachPlan", "case"),
    ("outreach.OutreachSettings", "organisation"),
    ("lifecycle.RetentionSettings", "organisation"),
    ("programmes.Attendance", "contact"),
    ("families.HouseholdCircumstances", "household"),
    ("families.ContingencyPlan", "household"),
    ("people.Restriction", "person"),
    ("people.ContactDetails", "person"),
    ("referrals.ReceivedHistory", "person"),
}
# Global tables: the tenants themselves, staff accounts and their tokens.
GLOBAL = {"accounts.User", "accounts.Organisation", "accounts.ApiToken"}


def ibasho_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("ibasho.")]


def test_every_domain_table_carries_the_organisation_key():
    missing = [
        m._meta.label
        for m in ibasho_models()
        if m._meta.label not in GLOBAL
        and "organisation" not in {f.name for f in m._meta.concrete_fields}
    ]
    assert missing == []


def test_unique_constraints_include_the_organisation():
    offending = []
    for model in ibasho_models():
        if model._meta.label in GLOBAL:
            continue
        for field in model._meta.concrete_fields:
            link = (model._meta.label, field.name)
            if field.unique and not field.primary_key and link not in ONE_TO_ONE_LINKS:
                offending.append(f"{model._meta.label}.{field.name}")
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and "organisation" not in fields:
                offending.append(f"{model._meta.label}: {constraint.name}")
    assert offending == []
