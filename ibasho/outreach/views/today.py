"""Today: the worker's due list with one-tap logging, and the coordinator's overview."""

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Window
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role, User, staff_name
from ibasho.audit.services import audit_list
from ibasho.lib.agenda import agenda_from, agenda_queries
from ibasho.lib.markup import day_label, format_row, kept_per_language
from ibasho.lib.panels import read_with_panels, today_panels
from ibasho.lib.prepared import Prepared, Slot, count_of, together
from ibasho.lib.rows import Row
from ibasho.lib.urls import link_by_code
from ibasho.outreach import services
from ibasho.outreach.models import (
    Cadence,
    Closure,
    Contact,
    Handover,
    OutreachPlan,
    OutreachSettings,
    QueuePerson,
    QueueRow,
    QuietPeriod,
    at_risk_cutoffs,
    plan_risk,
    queue_rows,
)
from ibasho.people.models import LOGGED_CHANNELS, Case, CaseAssignment, full_name


@dataclass(frozen=True)
class AtRiskRow(Row):
    """A person at risk of being dropped, with the phrases the table shows made once here."""

    person_code: Any
    name: str
    person_url: str
    last_contact: str  # "3 days ago", "never"
    last_two_way: str
    no_contact: bool  # the limit passed, shown in warning colour
    no_two_way: bool


@dataclass(frozen=True)
class UnassignedRow(Row):
    person_code: Any
    name: str
    person_url: str
    opened_on: str


@dataclass(frozen=True)
class ClosureRow(Row):
    code: Any
    url: str
    name: str
    reason: str
    asked: str  # "asked by 佐藤 on 2025年4月1日"
    awaiting_second: str  # the status, when it waits for an admin's second approval


# Phrases of a count, each made once per language and count (ngettext costs more than the
# rest of a row).
@kept_per_language
def _days_ago_phrase(n: int) -> str:
    return ngettext("%(n)s day ago", "%(n)s days ago", n) % {"n": n}


@kept_per_language
def _days_overdue(n: int) -> str:
    return ngettext("%(n)s day overdue", "%(n)s days overdue", n) % {"n": n}


@kept_per_language
def _unanswered(n: int) -> str:
    return ngettext("%(n)s unanswered", "%(n)s unanswered", n) % {"n": n}


def _days_ago(day: dt.date | None, days: int | None) -> str:
    if day is None or days is None:
        return _("never")
    return _days_ago_phrase(days)


# The coordinator's overview, each query compiled once (ibasho.lib.prepared).
DAY = Slot("day", models.DateField())

# _IN_ORGANISATION: the overview's reads join the organisation's plans, cases and assignments,
# and say again on each joined table that its rows are the organisation's. It changes no result
# (a case and its plan belong to one organisation) but it lets the database read them by the
# organisation's index: without it PostgreSQL chose to scan every organisation's cases and plans
# (50,000 rows at `prefecture`, 8–18 ms a query) to find the 2,500 it joins.
# Only the columns shown: loading the person decrypted every encrypted note.
_AT_RISK = Prepared(
    OutreachPlan,
    lambda member, limit: (
        OutreachPlan.objects.visible_to(member)
        .at_risk_from(
            Slot("no_contact", models.DateField()), Slot("no_two_way", models.DateField())
        )
        .filter(  # see _IN_ORGANISATION
            case__organisation_id=member.organisation_id,
            case__person__organisation_id=member.organisation_id,
        )
        .order_by(
            F("last_contact_on").asc(nulls_first=True), F("last_two_way_on").asc(nulls_first=True)
        )
        .annotate(total=Window(Count("id")))
        .values_list(
            "case__person__code",
            "case__person__family_name",
            "case__person__given_name",
            "case__opened_on",
            "last_contact_on",
            "last_two_way_on",
            "total",
        )[:limit]
    ),
    per_member=True,
)
_UNASSIGNED = Prepared(
    Case,
    lambda member, limit: (
        Case.objects.visible_to(member)
        .filter(status=Case.Status.OPEN, person__organisation_id=member.organisation_id)
        .exclude(
            Exists(
                CaseAssignment.unscoped.filter(
                    case=OuterRef("pk"), organisation_id=member.organisation_id
                )
            )
        )
        .order_by("opened_on", "pk")
        .annotate(total=Window(Count("id")))
        .values_list(
            "person__code", "person__family_name", "person__given_name", "opened_on", "total"
        )[:limit]
    ),
    per_member=True,
)


def _closures(member: Any) -> Any:
    # Closure requests wait for a coordinator; those a coordinator approved for a person with
    # no recent two-way contact wait for an organisation admin as well.
    waiting = Closure.UNDECIDED if member.role == Role.ADMIN else (Closure.Status.PENDING,)
    return (
        Closure.objects.visible_to(member)
        .filter(
            status__in=waiting,
            case__organisation_id=member.organisation_id,  # see _IN_ORGANISATION
            case__person__organisation_id=member.organisation_id,
        )
        .select_related("case__person", "requested_by")
        .only(
            "code",
            "reason",
            "status",
            "created_at",
            "case__person__code",
            "case__person__family_name",
            "case__person__given_name",
            "requested_by",
        )
        .order_by("created_at")[:100]
    )


_CLOSURES = Prepared(Closure, _closures, per_member=True)
# Overdue outreach by worker, with the worker's name.
_WORKER = "assignment__worker"
_WORKER_COLUMNS = (_WORKER, *(f"{_WORKER}__{name}" for name in User.NAME_FIELDS))
_OVERDUE = Prepared(
    Cadence,
    lambda member: (
        Cadence.objects.visible_to(member)
        .due_on(Slot("yesterday", models.DateField()))
        .filter(
            plan__organisation_id=member.organisation_id,  # see _IN_ORGANISATION
            plan__case__organisation_id=member.organisation_id,
        )
        .alias(
            assignment=FilteredRelation(
                "plan__case__assignments",
                condition=Q(plan__case__assignments__organisation_id=member.organisation_id),
            )
        )
        .values(*_WORKER_COLUMNS)
        .annotate(n=Count("id"))
        .order_by("-n", _WORKER)
        .values_list(*_WORKER_COLUMNS, "n")
    ),
    per_member=True,
)
_QUIET = Prepared(
    QuietPeriod,
    lambda member: (
        QuietPeriod.objects.visible_to(member)
        .filter(
            ended_on__isnull=True,
            until__gt=DAY,
            plan__case__status=Case.Status.OPEN,
            plan__organisation_id=member.organisation_id,  # see _IN_ORGANISATION
            plan__case__organisation_id=member.organisation_id,
        )
        .values_list("requested_until", "until")
    ),
    per_member=True,
)


# People at risk shown on Today (the longest without contact first); all of them, up to
# TODAY_ALL_ROWS, one link away. A hundred rows cost more to print than the rest of the page.
AT_RISK_ROWS = 20


def at_risk_rows(
    found: list[tuple[Any, ...]], today: dt.date, config: OutreachSettings
) -> list[AtRiskRow]:
    """The people at risk of being dropped as the overview prints them, from `_AT_RISK`'s
    columns."""
    person_url = link_by_code("people:person_detail")
    rows = []
    for code, family_name, given_name, opened_on, last_contact, last_two_way, _total in found:
        risk = plan_risk(today, config, opened_on, last_contact, last_two_way)
        rows.append(
            AtRiskRow(
                person_code=code,
                name=full_name(family_name, given_name),
                person_url=person_url(code),
                last_contact=_days_ago(last_contact, risk["days_since_contact"]),
                last_two_way=_days_ago(last_two_way, risk["days_since_two_way"]),
                no_contact=risk["no_contact"],
                no_two_way=risk["no_two_way"],
            )
        )
    return rows


def unassigned_rows(found: list[tuple[Any, ...]]) -> list[UnassignedRow]:
    """The open cases without a worker as the overview prints them, from `_UNASSIGNED`'s
    columns."""
    person_url = link_by_code("people:person_detail")
    return [
        UnassignedRow(
            person_code=code,
            name=full_name(family_name, given_name),
            person_url=person_url(code),
            opened_on=day_label(opened_on),
        )
        for code, family_name, given_name, opened_on, _total in found
    ]


def closure_rows(found: list[Closure]) -> list[ClosureRow]:
    closure_url = link_by_code("outreach:closure_detail")
    rows = []
    for closure in found:
        person = closure.case.person
        asked = _("asked by %(who)s on %(when)s") % {
            "who": closure.requested_by or "—",
            "when": date_format(localtime(closure.created_at), "DATE_FORMAT"),
        }
        awaiting = closure.status == Closure.Status.AWAITING_SECOND
        rows.append(
            ClosureRow(
                code=closure.code,
                url=closure_url(closure.code),
                name=person.full_name,
                reason=closure.get_reason_display(),
                asked=asked,
                awaiting_second=closure.get_status_display() if awaiting else "",
            )
        )
    return rows


def _total(found: list[tuple[Any, ...]]) -> int:
    """The count every row of a windowed query carries in its last column."""
    return int(found[0][-1]) if found else 0


class Overview(Row):
    """What a coordinator sees below their own list. Its data is read on every view, and a
    digest of that data (`fingerprint`) is the key of the HTML printed from it: the same data,
    the same HTML, so the kept copy is never stale. The rows that HTML is printed from (the
    phrases, links and each person's risk) are made only when it is printed, that is when the
    data has changed."""

    def __init__(
        self,
        today: dt.date,
        config: OutreachSettings,
        overdue: list[tuple[Any, ...]],
        in_force: list[tuple[Any, ...]],
        unassigned: list[tuple[Any, ...]],
        at_risk: list[tuple[Any, ...]],
        closures: list[Closure],
    ) -> None:
        self.today, self.config = today, config
        self._overdue, self._unassigned, self._at_risk = overdue, unassigned, at_risk
        week = today + dt.timedelta(days=7)
        self.quiet = {
            "waiting": sum(1 for asked, _until in in_force if asked is not None),
            "ending": sum(1 for asked, until in in_force if asked is None and until <= week),
        }
        self.closures = closure_rows(closures)  # a few, already read as records
        self.unassigned_total, self.at_risk_total = _total(unassigned), _total(at_risk)
        # The people the overview names (their codes lead both lists), for the audit.
        self.person_codes = {row[0] for row in (*unassigned, *at_risk)}
        shown = (
            today,
            (config.no_attempt_days, config.no_two_way_days),
            overdue,
            sorted(self.quiet.items()),
            unassigned,
            at_risk,
            self.closures,  # frozen dataclasses of strings, whose repr is their content
        )
        self.fingerprint = hashlib.sha256(repr(shown).encode()).hexdigest()

    @cached_property
    def at_risk(self) -> list[AtRiskRow]:
        return at_risk_rows(self._at_risk, self.today, self.config)

    @cached_property
    def unassigned(self) -> list[UnassignedRow]:
        return unassigned_rows(self._unassigned)

    @cached_property
    def overdue_by_worker(self) -> list[tuple[str | None, int]]:
        return [(staff_name(*names) if pk else None, n) for pk, *names, n in self._overdue]


def coordinator_overview(
    membership: Any, today: dt.date, config: OutreachSettings, *, every: bool = False
) -> Overview:
    """What a coordinator sees below their own list: the organisation's overdue outreach by
    worker, quiet periods, open cases without a worker and people at risk (the `limit` oldest
    of each, counted by the same query), closures waiting for a decision."""
    limit = TODAY_ALL_ROWS if every else AT_RISK_ROWS
    no_contact, no_two_way = at_risk_cutoffs(today, config)
    overdue, in_force, unassigned, at_risk, closures = together(
        _OVERDUE.later(membership=membership, yesterday=today - dt.timedelta(days=1)),
        _QUIET.later(membership=membership, day=today),
        _UNASSIGNED.later(limit, membership=membership),
        _AT_RISK.later(limit, membership=membership, no_contact=no_contact, no_two_way=no_two_way),
        _CLOSURES.later(membership=membership),
    )
    return Overview(today, config, overdue, in_force, unassigned, at_risk, closures)


# The most urgent rows shown at once; the rest are counted, one link away.
TODAY_ROWS = 50
TODAY_ALL_ROWS = 500


def due_row_labels() -> dict[str, str]:
    """Words every row repeats (column labels for phone layouts, button texts), translated
    once per page."""
    return {
        "person": _("person"),
        "channel": _("channel"),
        "due": _("due"),
        "avoid": _("Things to avoid"),
        "log": _("Log"),
        "no_answer": _("No answer"),
        "record": _("Record contact"),
        "also": _("also due"),
    }


@dataclass(frozen=True)
class DueRow(Row):
    """One line of the Today list with its links and phrases made in Python: as template tags
    the same work took longer than the page's SQL."""

    code: str
    person: QueuePerson
    channel_label: str
    unanswered: str
    due_on: str  # the cadence's next due day as the page prints it
    overdue: str
    person_url: str
    log_url: str
    record_url: str
    # The person's other channels due too, folded into this row: "電話 · 3日超過".
    also: tuple[str, ...] = ()


def due_rows(items: list[QueueRow], day: dt.date) -> list[DueRow]:
    """One row per person, on their most urgent channel (the queue's order); the other
    channels due for the same person are folded into it."""
    person_url = link_by_code("people:person_detail")
    log_url = link_by_code("outreach:log_attempt")
    record_url = link_by_code("outreach:contact_create")
    channels = {value: str(label) for value, label in LOGGED_CHANNELS}
    rows: list[DueRow] = []
    folded: dict[Any, list[str]] = {}
    for item in items:
        person, tries, late = item.person, item.unanswered, item.days_overdue(day)
        channel = channels.get(item.channel, item.channel)
        overdue = _days_overdue(late) if late else ""
        if person.code in folded:
            folded[person.code].append(f"{channel} · {overdue}" if overdue else channel)
            continue
        folded[person.code] = []
        rows.append(
            DueRow(
                code=str(item.code),
                person=person,
                channel_label=channel,
                unanswered=_unanswered(tries) if tries else "",
                due_on=day_label(item.next_due_on) if item.next_due_on else "",
                overdue=overdue,
                person_url=person_url(person.code),
                log_url=log_url(item.code),
                record_url=f"{record_url(person.code)}?channel={item.channel}",
            )
        )
    return [replace(row, also=tuple(folded[row.person.code])) for row in rows]


# Today's own lists, compiled once (ibasho.lib.prepared).
_QUEUE = Prepared(
    Cadence,
    lambda member, limit: (
        Cadence.objects.visible_to(member).queue(member.user_id, DAY)[:limit].row_values()
    ),
    per_member=True,
)
_NEW_HANDOVERS = Prepared(
    Handover,
    lambda member: (
        Handover.objects.visible_to(member)
        .filter(to_worker=member.user_id, seen_at__isnull=True)
        # Usually none: the case, person and sender are read only when there is one.
        .prefetch_related("case__person", "from_worker")
    ),
    per_member=True,
)


def due_rows_html(rows: list[DueRow], request: MemberRequest, logged: Any = None) -> SafeString:
    """The due list's rows as HTML. Made here (`lib.markup.format_row`) rather than by a
    template: the template engine spent about 130 µs on each row (some thirty values, two
    conditions per cell), which made the list half of a worker's Today; this costs a twentieth
    of it. `logged` is the attempt just logged on the one row shown after a tap (it offers
    undo)."""
    labels = due_row_labels()
    csrf = format_row(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    undo_url = link_by_code("outreach:undo_attempt")
    edit_url = link_by_code("outreach:contact_edit")
    html = []
    for row in rows:
        person = row.person
        who = format_row('<a href="{}">{}</a>', row.person_url, person.full_name)
        if person.preferred_name:
            who = format_row('{} <span class="reading">({})</span>', who, person.preferred_name)
        channel = format_row("{}", row.channel_label)
        if row.unanswered:
            channel = format_row('{} <span class="muted">· {}</span>', channel, row.unanswered)
        if row.also:
            also = "、".join(row.also)
            channel = format_row(
                '{}<br><span class="muted also">{}: {}</span>', channel, labels["also"], also
            )
        if logged is not None:
            due = format_row("{} {}", _("next due"), row.due_on)
            undo = undo_url(row.code)
            action = format_row(
                '<span class="badge">{}</span> <a href="{}">{}</a>\n    <form method="post"'
                ' action="{}" class="inline" hx-post="{}" hx-target="#due-{}"'
                ' hx-swap="outerHTML">{}<input type="hidden" name="contact" value="{}">\n'
                '      <button type="submit">{}</button></form>',
                _("Attempt logged"), edit_url(logged.code), _("Add details"),
                undo, undo, row.code, csrf, logged.code, _("Undo"),
            )  # fmt: skip
        else:
            due = format_row("{}", row.due_on)
            if row.overdue:
                due = format_row('{} <span class="badge warn">{}</span>', due, row.overdue)
            action = format_row(
                '\n    <form method="post" action="{}" class="inline" hx-post="{}"'
                ' hx-target="#due-{}" hx-swap="outerHTML">{}\n'
                '      <button type="submit">{}</button></form>\n'
                '    <a class="button" href="{}">{}</a>',
                row.log_url, row.log_url, row.code, csrf, labels["no_answer"],
                row.record_url, labels["record"],
            )  # fmt: skip
        html.append(
            format_row(
                '<tr id="due-{}"{}>\n'
                '  <td data-label="{}">{}</td>\n'
                '  <td data-label="{}">{}</td>\n'
                '  <td data-label="{}">{}</td>\n'
                '  <td data-label="{}" class="avoid-cell">{}</td>\n'
                '  <td data-label="{}">{}</td>\n</tr>\n',
                row.code,
                mark_safe(' class="logged"') if logged is not None else "",
                labels["person"],
                who,
                labels["channel"],
                channel,
                labels["due"],
                due,
                labels["avoid"],
                person.things_to_avoid or "—",
                labels["log"],
                action,
            )  # fmt: skip
        )
    return mark_safe("".join(html))  # each part escaped by format_row


@member_required()
def today(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    day = membership.organisation.today()
    every = bool(request.GET.get("all"))
    limit = TODAY_ALL_ROWS if every else TODAY_ROWS
    # Everything the page needs at this point, asked for together (one round trip).
    agenda_asked = agenda_queries(membership, day, day)
    settings_asked = [OutreachSettings.query(membership.organisation_id)]
    panels_asked = today_panels.asked(request)
    (queue, handovers, *found), panels_read = read_with_panels(
        [
            _QUEUE.later(limit, membership=membership, day=day),
            _NEW_HANDOVERS.later(membership=membership),
            *agenda_asked,
            *(settings_asked if membership.is_supervisor else []),
        ],
        panels_asked,
    )
    items = queue_rows(queue)
    due = due_rows(items, day)
    # A queue shorter than the page is all there: its people are those of the rows. Only a
    # longer one is counted, in one more query.
    total = len(due) if len(items) < limit else due_total(membership, day)
    day_plan = agenda_from(membership, day, day, found[: len(agenda_asked)])
    context = {
        "today": day,
        "day_plan": day_plan,
        "due": due,
        "due_total": total,
        "due_html": due_rows_html(due, request),
        "handovers": handovers,
        "panels": today_panels.render_list(request, read=panels_read),
    }
    shown = {row.person.code for row in due} | {h.case.person.code for h in handovers}
    shown |= {item.person_code for item in day_plan if item.person_code}
    if membership.is_supervisor:
        config = OutreachSettings.of(membership.organisation, found[-1])
        overview = context["overview"] = coordinator_overview(membership, day, config, every=every)
        shown |= overview.person_codes
    audit_list(request, "outreach.today.viewed", len(shown))
    return render(request, "outreach/today.html", context)


@member_required()
@require_POST
def log_attempt(request: MemberRequest, code: str) -> HttpResponse:
    """One tap on Today: record an unanswered attempt and show the row's new state."""
    membership = request.membership
    item = get_object_or_404(
        Cadence.objects.visible_to(membership).select_related("plan__case__person"), code=code
    )
    if not item.plan.case.is_open:
        raise Http404
    contact = services.log_attempt(item, by=request.user)
    return _due_row_after(request, item, logged=contact)


@member_required()
@require_POST
def undo_attempt(request: MemberRequest, code: str) -> HttpResponse:
    """Take back the one-tap attempt just logged on this row (its author, within minutes)."""
    membership = request.membership
    item = get_object_or_404(
        Cadence.objects.visible_to(membership).select_related("plan__case__person"), code=code
    )
    contact = (
        Contact.objects.visible_to(membership)
        .filter(person=item.plan.case.person, code=request.POST.get("contact") or None)
        .first()
    )
    try:
        if contact is None:
            raise ValidationError(_("There is nothing to undo."))
        services.undo_attempt(contact, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("outreach:today")
    messages.success(request, _("The attempt was taken back."))
    return _due_row_after(request, item, logged=None)


def _due_row_after(request: MemberRequest, item: Cadence, *, logged: Any) -> HttpResponse:
    """The row as it stands after a one-tap change (htmx), or back to Today."""
    day = request.membership.organisation.today()
    rows = due_rows(Cadence.objects.filter(pk=item.pk).rows(), day)
    context = {
        "due": rows,
        "due_html": due_rows_html(rows, request, logged),
        "logged": logged,
        "today": day,
    }
    if request.headers.get("HX-Request"):
        # The row, and the page's counts in place: how many people are due, unread items.
        context["due_total"] = due_total(request.membership, day)
        return render(request, "outreach/_due_row_swap.html", context)
    return redirect("outreach:today")


# How many people a worker's queue names, compiled once (ibasho.lib.prepared): one row, the
# organisation's, with the count (none when nothing is due).
_QUEUE_PEOPLE = Prepared(
    Cadence,
    lambda member: (
        Cadence.objects.visible_to(member)
        .queue(member.user_id, DAY)
        .order_by()
        .values("organisation_id")
        .annotate(people=Count("plan__case__person_id", distinct=True))
        .values_list("people", flat=True)
    ),
    per_member=True,
)


def due_total(membership: Any, day: dt.date) -> int:
    """How many people Today has due (the badge beside "due today")."""
    return count_of(_QUEUE_PEOPLE.fetch(membership=membership, day=day))
