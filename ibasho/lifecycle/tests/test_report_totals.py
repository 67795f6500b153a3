"""Shredding keeps the rows that reports count: a fiscal year's reports give the same totals
before and after the demo organisation's people are shredded."""

import dataclasses
import datetime as dt

import pytest

from ibasho.accounts.models import Membership, Role
from ibasho.lifecycle import retention
from ibasho.lifecycle.models import RecordType
from ibasho.ops.synthetic import create_organisation
from ibasho.outreach.models import Contact
from ibasho.people.models import Case, Person
from ibasho.reports import periods
from ibasho.reports.services import KINDS, build_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
# Age comes from the birth year alone once the day is gone (docs/security.md): a person born
# late in a year may move one band for contacts before their birthday, and in or out of the
# age range of the unreached estimate. The age-band table keeps its total (it partitions).
AGE_TABLES = {"age_band"}
AGE_KINDS = {"unreached"}


def figures(organisation) -> dict:  # type: ignore[no-untyped-def]
    period = periods.last_fiscal_year(TODAY, organisation.fiscal_year_start_month)
    found = {}
    for kind in set(KINDS) - AGE_KINDS:
        report = build_report(kind, organisation, period)
        for table in report.tables:
            total = table.total.values if table.total else None
            rows = None if table.key in AGE_TABLES else [r.values for r in table.rows]
            found[(kind, table.key)] = (total, rows)
        found[(kind, "headlines")] = [dataclasses.astuple(h) for h in report.headlines]
    return found


def test_a_fiscal_years_reports_keep_their_totals_after_shredding():
    demo = create_organisation(seed=3, people=25, today=TODAY)
    organisation = demo.organisation
    admin = Membership.objects.get(organisation=organisation, role=Role.ADMIN).user
    # Every case closed: the people are due once the retention period has passed.
    Case.unscoped.filter(organisation=organisation).update(
        status=Case.Status.CLOSED, closed_on=TODAY
    )
    before = figures(organisation)
    assert before[("contacts", "month")][0][1] > 0  # the year is not empty

    batch = retention.prepare_retention_batch(organisation, TODAY + dt.timedelta(days=6 * 366))
    assert batch is not None
    summary = batch.summary()
    people = Person.unscoped.filter(organisation=organisation).count()
    assert summary["people"] == people
    assert {label for label, _n in summary["types"]} == {str(t.label) for t in RecordType}
    retention.confirm_batch(batch, by=admin)

    assert not Person.unscoped.filter(organisation=organisation).exclude(family_name="").exists()
    assert not Person.unscoped.filter(birth_date__isnull=False, organisation=organisation).exists()
    assert not Contact.unscoped.filter(organisation=organisation).exclude(note="").exists()
    after = figures(organisation)
    assert after == before
