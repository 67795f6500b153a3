"""Build each report from the records (reading from the replica when there is one), publish it
with suppression, and keep the population figures the unreached estimate needs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership, Organisation
from ibasho.audit.services import record_audit
from ibasho.lib.replica import reading_from_replica
from ibasho.outcomes.models import Administration
from ibasho.programmes.courses import TEMPLATES
from ibasho.programmes.models import Programme
from ibasho.reports import definitions as d
from ibasho.reports import figures as f
from ibasho.reports import periods
from ibasho.reports import queries as q
from ibasho.reports.models import PopulationFigure, ReportSettings
from ibasho.reports.periods import Period
from ibasho.reports.suppression import suppress_report
from ibasho.reports.tables import Report

KINDS = d.KINDS
Progress = Callable[[int], None]


def build_report(
    kind: str,
    organisation: Organisation,
    period: Period,
    *,
    rate_set: str = d.DEFAULT_RATE_SET,
    progress: Progress | None = None,
) -> Report:
    """The report's figures, unsuppressed. Suppress with `publish` before showing them to anyone
    but staff who work with personal records."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown report: %(kind)s") % {"kind": kind})
    if kind == "contacts":
        report = contact_reports([organisation], period)[organisation.pk]
        if progress:
            progress(100)
        return report
    zone = organisation.zone
    report = empty_report(kind, organisation, period)
    with reading_from_replica():
        if kind == "programmes":
            sessions, attendances = q.programme_facts(organisation.pk, period)
            report.tables = f.programme_tables(
                sessions,
                attendances,
                period.start,
                period.end,
                [(k, str(label)) for k, label in Programme.Kind.choices],
                [(code, t.name(get_language())) for code, t in TEMPLATES.items()],
            )
        elif kind == "outcomes":
            report.tables = f.instrument_tables(
                q.scores(organisation.pk, period),
                period.start,
                period.end,
                instrument_names(organisation.pk),
            )
            minutes, changes, outside = q.milestone_facts(organisation.pk, period, zone)
            report.tables.append(
                f.milestone_table(two_way_minutes=minutes, stage_changes=changes,
                                  outside_home=outside)
            )  # fmt: skip
        elif kind == "persistence":
            histories, open_people = q.histories(organisation.pk, period, zone)
            if progress:
                progress(60)
            report.tables = f.persistence_tables(
                f.persistence_of(histories, open_people, period.end, zone)
            )
        else:
            rates = d.RATE_SETS.get(rate_set) or d.RATE_SETS[d.DEFAULT_RATE_SET]
            bands, year = q.population(organisation.pk, period.end.year)
            known = q.known_people(organisation.pk, period, rates.age_from, rates.age_to)
            report.tables = [f.unreached_table(bands, rates, known, year)]
            report.extra = {
                "rate_set": rates.code,
                "rate_label": str(rates.label),
                "rate_source": rates.source,
                "rate_year": rates.year,
                "population_year": year,
            }
    if progress:
        progress(100)
    return report


def empty_report(kind: str, organisation: Organisation, period: Period) -> Report:
    return Report(
        kind=kind,
        title=str(KINDS[kind]),
        organisation=organisation.name,
        period_label=period.label(organisation.fiscal_year_start_month),
        date_from=period.start.isoformat(),
        date_to=period.end.isoformat(),
        made_on=organisation.today().isoformat(),
        tables=[],
    )


def contact_reports(organisations: list[Organisation], period: Period) -> dict[int, Report]:
    """The 実人数/延べ数 report of each organisation, unsuppressed, read for all of them at once
    (those in the same time zone share each query); each report has its own figures only."""
    zones: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        zones.setdefault(str(organisation.zone), []).append(organisation)
    found: dict[int, Report] = {}
    with reading_from_replica():
        for same_zone in zones.values():
            figures = q.contact_figures_of([o.pk for o in same_zone], period, same_zone[0].zone)
            for organisation in same_zone:
                groups, people, months = figures[organisation.pk]
                report = empty_report("contacts", organisation, period)
                report.tables = f.contact_tables(groups, people, months)
                report.headlines = f.contact_headlines(groups, people)
                found[organisation.pk] = report
    return found


def home_reports(organisation: Organisation) -> dict[str, Any]:
    """The published reports the evidence home shows: this month's and this fiscal year's
    contacts, the last twelve months, this month's persistence and this year's unreached gap.
    Kept in Django's cache for REPORTS_HOME_CACHE_SECONDS per organisation, day, language and
    suppression threshold, so opening the home does not rebuild them every time; the home says
    when they were made."""
    today = organisation.today()
    start_month = organisation.fiscal_year_start_month
    threshold = threshold_for(organisation)
    key = f"reports:home:{organisation.pk}:{today.isoformat()}:{get_language()}:{threshold}"
    found: dict[str, Any] | None = cache.get(key)
    if found is not None:
        return found
    this_month = periods.month_period(today.year, today.month)
    this_year = periods.current_fiscal_year(today, start_month)
    twelve = Period(periods.CUSTOM, periods.add_months(this_month.start, -11), this_month.end)

    def published(kind: str, period: Period) -> Report:
        report = build_report(kind, organisation, period)
        return add_sentences(suppress_report(report, threshold))

    found = {
        "this_month": this_month,
        "this_year": this_year,
        "month": published("contacts", this_month),
        "year": published("contacts", this_year),
        "twelve": published("contacts", twelve),
        "persistence": published("persistence", this_month),
        "unreached": published("unreached", this_year),
        "made_at": timezone.now(),
    }
    cache.set(key, found, settings.REPORTS_HOME_CACHE_SECONDS)
    return found


def instrument_names(organisation_id: int) -> dict[str, str]:
    language = (get_language() or "ja")[:2]
    names: dict[str, str] = {}
    for code, name in (
        Administration.objects.filter(organisation_id=organisation_id)
        .values_list("instrument", "instrument_name")
        .distinct()
        .order_by()
    ):
        if isinstance(name, dict):
            names[code] = name.get(language) or name.get("ja") or code
    return names


def threshold_for(organisation: Organisation) -> int:
    return ReportSettings.threshold_for(organisation.pk)


def sees_unsuppressed(membership: Membership | None) -> bool:
    """Staff who work with personal records may see internal reports unsuppressed; analysts
    and everything exported for outside use get suppressed figures."""
    return membership is not None and membership.reads_personal_data


def publish(report: Report, organisation: Organisation) -> Report:
    return suppress_report(report, threshold_for(organisation))


def add_sentences(report: Report) -> Report:
    """The plain-language sentences under the persistence charts, from the cells as shown."""
    if report.kind == "persistence":
        report.sentences = f.persistence_sentences(report.table("attempts"))
    return report


# -- population figures ----------------------------------------------------------------------

AGE = re.compile(r"(\d+)\s*[-‐－~〜～]\s*(\d+)")
AGE_OPEN = re.compile(r"(\d+)\s*歳?以上")
PLACE_COLUMNS = ("市区町村", "地域", "municipality", "area")
AGE_COLUMNS = ("年齢5歳階級", "年齢階級", "年齢", "age")
VALUE_COLUMNS = ("人口", "値", "value", "population")
YEAR_COLUMNS = ("時間軸", "調査年", "年", "year")


def parse_age(label: str) -> tuple[int, int] | None:
    """'15～19歳', '15-19' or '65歳以上' (taken as 65–120); totals and other labels: None."""
    found = AGE.search(label)
    if found:
        return int(found.group(1)), int(found.group(2))
    found = AGE_OPEN.search(label)
    return (int(found.group(1)), 120) if found else None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        for index, value in enumerate(header):
            if name in value.strip():
                return index
    return None


def parse_population_csv(text: str, default_year: int | None) -> list[dict[str, Any]]:
    """Rows of an e-Stat CSV download (or any CSV with municipality, age band, population and,
    optionally, year columns). Totals ('総数') and rows without an age band are skipped."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header_at = next(
        (i for i, row in enumerate(rows) if _column(row, PLACE_COLUMNS) is not None
         and _column(row, AGE_COLUMNS) is not None and _column(row, VALUE_COLUMNS) is not None),
        None,
    )  # fmt: skip
    if header_at is None:
        raise ValidationError(
            _(
                "The file needs columns for the municipality (市区町村 or 地域), the age band "
                "(年齢) and the population (人口 or 値)."
            )  # fmt: skip
        )
    header = rows[header_at]
    place, age, value = (
        _column(header, PLACE_COLUMNS),
        _column(header, AGE_COLUMNS),
        _column(header, VALUE_COLUMNS),
    )
    year_at = _column(header, YEAR_COLUMNS)
    found = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row or len(row) <= max(c for c in (place, age, value) if c is not None):
            continue
        band = parse_age(row[age])  # type: ignore[index]
        if band is None:
            continue
        raw = row[value].replace(",", "").strip()  # type: ignore[index]
        if not raw.isdigit():
            raise ValidationError(
                _("Line %(line)s: the population '%(value)s' is not a whole number.")
                % {"line": number, "value": raw}
            )
        year = default_year
        if year_at is not None and re.search(r"\d{4}", row[year_at]):
            year = int(re.search(r"\d{4}", row[year_at]).group())  # type: ignore[union-attr]
        if year is None:
            raise ValidationError(_("Give the year the figures are for."))
        municipality = re.sub(r"^\d+_?", "", row[place].strip())  # type: ignore[index]
        found.append(
            {
                "municipality": municipality,
                "year": year,
                "age_from": band[0],
                "age_to": band[1],
                "population": int(raw),
            }  # fmt: skip
        )
    if not found:
        raise ValidationError(_("No rows with an age band were found in the file."))
    return found


@transaction.atomic
def save_population_figures(
    organisation: Organisation, rows: list[dict[str, Any]], *, source: str, by: Any
) -> int:
    """Add or replace figures (one per municipality, year and age band)."""
    for row in rows:
        if row["age_to"] < row["age_from"]:
            raise ValidationError(_("An age band must end at or after its start."))
        PopulationFigure.objects.update_or_create(
            organisation=organisation,
            municipality=row["municipality"],
            year=row["year"],
            age_from=row["age_from"],
            age_to=row["age_to"],
            defaults={"population": row["population"], "source": source},
        )
    record_audit(
        "population_figures_saved",
        by=by,
        organisation=organisation,
        fields=["municipality", "year", "age_from", "age_to", "population", "source"],
    )
    return len(rows)
