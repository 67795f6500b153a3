"""Turn stored outcomes into what the person panel and the printable page show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ibasho.families.models import SafetyEvent
from ibasho.lib import charts
from ibasho.outcomes import recovery, scoring
from ibasho.outcomes.models import Administration, RecoveryRating, current_language


@dataclass(frozen=True)
class InstrumentHistory:
    code: str
    name: str
    latest: Administration
    count: int
    svg: SafeString


def instrument_histories(
    administrations: Iterable[Administration],
    definitions: Mapping[str, scoring.Definition],
    *,
    ident: str = "chart",
) -> list[InstrumentHistory]:
    """One chart per instrument, about the person (answers about family members are left out)."""
    lang = current_language()
    by_code: dict[str, list[Administration]] = defaultdict(list)
    for administration in administrations:
        if administration.family_member_id is None:
            by_code[administration.instrument].append(administration)
    histories = []
    for code in sorted(by_code):
        rows = by_code[code]
        latest = rows[-1]
        definition = definitions.get(code)
        histories.append(
            InstrumentHistory(
                code=code,
                name=definition.name_in(lang) if definition else latest.instrument_label,
                latest=latest,
                count=len(rows),
                svg=_instrument_svg(code, rows, definition, lang, f"{ident}-{code}"),
            )
        )
    return histories


def _instrument_svg(
    code: str,
    rows: list[Administration],
    definition: scoring.Definition | None,
    lang: str,
    ident: str,
) -> SafeString:
    points = tuple(charts.Point(row.administered_on, row.total, row.band_text) for row in rows)
    lines: list[charts.Line] = []
    low, high = min(row.total for row in rows), max(row.total for row in rows)
    if definition is not None:
        low, high = definition.min_total, definition.max_total
        band_set = definition.band_set(rows[-1].band_set if _has(definition, rows[-1]) else None)
        lines = [
            charts.Line(value, _("cut-off %(value)s") % {"value": value})
            for value in band_set.cutoffs()
        ]
    name = definition.name_in(lang) if definition else rows[-1].instrument_label
    svg = charts.line_chart(
        title=name,
        series=[charts.Series(_("Total"), points)],
        y_min=low,
        y_max=high,
        lines=lines,
        lang=lang,
        ident=ident,
    )
    return mark_safe(svg)  # built from escaped parts in charts.py


def _has(definition: scoring.Definition, row: Administration) -> bool:
    return any(band_set.key == row.band_set for band_set in definition.band_sets)


@dataclass(frozen=True)
class DomainHistory:
    key: str
    name: str
    latest_self: int | None
    latest_worker: int | None
    svg: SafeString


def recovery_histories(
    ratings: Iterable[RecoveryRating], *, ident: str = "recovery"
) -> list[DomainHistory]:
    """Small charts per domain, the person's own rating and the worker's side by side."""
    profile = recovery.load_profile()
    lang = current_language()
    ratings = list(ratings)
    if not ratings:
        return []
    histories = []
    labels = {
        RecoveryRating.Rater.SELF: _("Own rating"),
        RecoveryRating.Rater.WORKER: _("Worker"),
    }
    frame = charts.Frame(width=320, height=190, left=28, right=10, top=34, bottom=52)
    for domain in profile.domains:
        series = []
        latest: dict[str, int | None] = {}
        for rater, label in labels.items():
            points = tuple(
                charts.Point(
                    r.rated_on, r.levels[domain.key], domain.anchor(r.levels[domain.key], lang)
                )
                for r in ratings
                if r.rater == rater and r.levels.get(domain.key) is not None
            )
            latest[rater] = points[-1].value if points else None  # type: ignore[assignment]
            series.append(charts.Series(str(label), points))
        svg = charts.line_chart(
            title=domain.name_in(lang),
            series=series,
            y_min=profile.low,
            y_max=profile.high,
            lang=lang,
            empty_text=_("Not rated yet"),
            frame=frame,
            ident=f"{ident}-{domain.key}",
        )
        histories.append(
            DomainHistory(
                key=domain.key,
                name=domain.name_in(lang),
                latest_self=latest[RecoveryRating.Rater.SELF],
                latest_worker=latest[RecoveryRating.Rater.WORKER],
                svg=mark_safe(svg),  # built from escaped parts in charts.py
            )
        )
    return histories


def flags_to_follow_up(administrations: list[Administration], person: Any) -> list[Any]:
    """The safety flags still to be followed up: one banner per flag whose safety event is
    open, none for the flags already followed up. A flag not (yet) linked to its event, e.g.
    one recorded before flags were linked, shows (the latest only) until an event of the
    person raised after it has been followed up."""
    flagged = [a for a in administrations if a.safety]
    if not flagged:
        return []
    events = list(
        SafetyEvent.objects.filter(organisation_id=person.organisation_id, person=person).values(
            "pk", "created_at", "resolved_at"
        )
    )
    open_events = {e["pk"] for e in events if e["resolved_at"] is None}
    shown = [a for a in flagged if a.safety_event_id in open_events]
    unlinked = [a for a in flagged if a.safety_event_id is None]
    if unlinked:
        latest = unlinked[-1]
        followed_up = any(
            e["resolved_at"] is not None and e["created_at"] >= latest.created_at for e in events
        )
        if not followed_up:
            shown.append(latest)
    return shown


def panel_context(person: Any, organisation: Any) -> dict[str, Any]:
    """What the person page's outcomes panel needs: three queries, whatever the history."""
    from ibasho.outcomes.services import available_instruments

    administrations = list(Administration.objects.filter(person=person, organisation=organisation))
    ratings = list(RecoveryRating.objects.filter(person=person, organisation=organisation))
    kato = person.kato_assessments.filter(organisation=organisation).order_by("-assessed_on", "-id")
    definitions = available_instruments(organisation)
    return {
        "person": person,
        "histories": instrument_histories(administrations, definitions, ident=f"p{person.pk}"),
        "family_administrations": [a for a in administrations if a.family_member_id],
        "safety": flags_to_follow_up(administrations, person),
        "kato": kato.first(),
        "recovery": recovery_histories(ratings, ident=f"r{person.pk}"),
    }
