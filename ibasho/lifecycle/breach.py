"""Breach response (漏えい等, APPI Art. 26): record an incident, trace its scope in the audit
trail (by token, by user, by address, within a time window), attach the people it reached,
track the PPC reports' deadlines, make the draft report and the letters, and close it."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import ApiToken, Organisation, User
from ibasho.audit.models import AuditEntry
from ibasho.audit.services import record_audit
from ibasho.lib import limits
from ibasho.lib.pdf import html_to_pdf
from ibasho.lifecycle.models import AffectedPerson, Incident
from ibasho.lifecycle.retention import require_admin
from ibasho.people.models import Person

LONGEST_WINDOW = dt.timedelta(days=3 * 366)


def record_incident(
    organisation: Organisation,
    *,
    kind: str,
    summary: str,
    discovered_at: dt.datetime,
    discovered_by: str,
    by: Any,
) -> Incident:
    require_admin(by, organisation.pk)
    if kind not in Incident.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of incident.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Say what happened.")})
    if not discovered_by.strip():
        raise ValidationError({"discovered_by": _("Say who discovered it.")})
    limits.validate(
        summary=(limits.check_text, summary),
        discovered_by=(limits.one_line, discovered_by),
        discovered_at=(limits.record_moment, discovered_at),
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            organisation=organisation,
            kind=kind,
            summary=summary,
            discovered_at=discovered_at,
            discovered_by=discovered_by.strip()[:100],
            recorded_by=by,
        )
        record_audit(
            "lifecycle.incident.recorded", by=by, target=incident,
            fields=["kind", "summary", "discovered_at", "discovered_by"],
        )  # fmt: skip
    return incident


@dataclass
class Scope:
    """What the audit trail says a token, a user or an address read in a window."""

    description: str
    people: list[tuple[Person, int, dt.datetime, dt.datetime]] = field(default_factory=list)
    list_reads: int = 0  # reads of lists, which name how many people they showed, not who
    list_people: int = 0


def compute_scope(
    organisation: Organisation,
    *,
    start: dt.datetime,
    end: dt.datetime,
    token: ApiToken | None = None,
    user: User | None = None,
    ip: str = "",
) -> Scope:
    """The people whose records the audit trail shows were opened in the window, by the token,
    the user or from the address given (all of those given; with none, by anyone)."""
    limits.validate(start=(limits.record_moment, start), end=(limits.record_moment, end))
    if end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    if end - start > LONGEST_WINDOW:
        raise ValidationError({"start": _("Choose a window of at most three years.")})
    if token is not None and token.organisation_id != organisation.pk:
        raise ValidationError({"token": _("Unknown token.")})
    entries = AuditEntry.objects.filter(organisation=organisation, at__gte=start, at__lt=end)
    said = []
    if token is not None:
        entries = entries.filter(token=token)
        said.append(_("token “%(name)s”") % {"name": token.name or token.code})
    if user is not None:
        entries = entries.filter(actor=user)
        said.append(_("user %(name)s") % {"name": user.get_username()})
    if ip:
        entries = entries.filter(ip=ip)
        said.append(_("address %(ip)s") % {"ip": ip})
    # A write is not a read, but whoever could write a record could read it: both count.
    named = (
        entries.filter(person_code__isnull=False)
        .values("person_code")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
    )
    by_code = {row["person_code"]: row for row in named}
    people = Person.unscoped.filter(organisation=organisation, code__in=list(by_code))
    lists = entries.filter(person_code__isnull=True, count__gt=0).aggregate(
        n=Count("id"), people=Max("count"), total=Sum("count")
    )
    scope = Scope(
        description=", ".join(said) or _("anyone"),
        people=sorted(
            (
                (p, by_code[p.code]["n"], by_code[p.code]["first"], by_code[p.code]["last"])
                for p in people
            ),
            key=lambda row: row[2],
        ),
        list_reads=lists["n"] or 0,
        list_people=lists["people"] or 0,
    )
    return scope


def attach_scope(incident: Incident, scope: Scope, *, by: Any) -> int:
    """Attach the scope's people to the incident (adding to those already there)."""
    require_admin(by, incident.organisation_id)
    with transaction.atomic():
        added = 0
        for person, reads, first, last in scope.people:
            found, created = AffectedPerson.objects.get_or_create(
                organisation_id=incident.organisation_id,
                incident=incident,
                person=person,
                defaults={"reads": reads, "first_at": first, "last_at": last,
                          "found_by": scope.description[:100]},
            )  # fmt: skip
            added += int(created)
        record_audit(
            "lifecycle.incident.scope_attached", by=by, target=incident, count=added,
            fields=["affected"],
        )  # fmt: skip
    return added


def mark_reported(incident: Incident, *, which: str, on: dt.date, by: Any) -> Incident:
    """Note the day the preliminary (速報) or final (確報) report went to the PPC."""
    require_admin(by, incident.organisation_id)
    if which not in ("preliminary", "final"):
        raise ValidationError({"which": _("Choose which report.")})
    limits.validate(on=(limits.record_day, on))
    if on < incident.discovered_on:
        raise ValidationError({"on": _("A report cannot precede the discovery.")})
    name = f"{which}_reported_on"
    with transaction.atomic():
        setattr(incident, name, on)
        incident.save(update_fields=[name, "updated_at"])
        record_audit("lifecycle.incident.reported", by=by, target=incident, fields=[name])
    return incident


def close_incident(incident: Incident, *, note: str, by: Any) -> Incident:
    require_admin(by, incident.organisation_id)
    if not note.strip():
        raise ValidationError({"note": _("Say how it was resolved.")})
    limits.validate(note=(limits.check_text, note))
    if not incident.is_open:
        raise ValidationError(_("This incident is already closed."), code="closed")
    if incident.final_reported_on is None:
        raise ValidationError(_("Record the final report first."), code="final_report")
    with transaction.atomic():
        incident.closed_at, incident.closing_note = timezone.now(), note
        incident.save(update_fields=["closed_at", "closing_note", "updated_at"])
        record_audit("lifecycle.incident.closed", by=by, target=incident, fields=["closing_note"])
    return incident


def open_deadlines(organisation_id: int, today: dt.date) -> list[tuple[Incident, str, dt.date]]:
    """The reports still to send for open incidents, soonest first."""
    found = []
    for incident in Incident.unscoped.filter(
        organisation_id=organisation_id, closed_at__isnull=True
    ).select_related("organisation"):
        if incident.preliminary_reported_on is None:
            found.append((incident, "preliminary", incident.preliminary_due))
        if incident.final_reported_on is None:
            found.append((incident, "final", incident.final_due))
    return sorted(found, key=lambda row: row[2])


def _pdf(incident: Incident, template: str) -> bytes:
    affected = list(incident.affected.select_related("person"))
    context = {"incident": incident, "affected": affected, "made_on": incident.organisation.today()}
    return html_to_pdf(render_to_string(template, context))


def report_pdf(incident: Incident) -> bytes:
    """A draft of the report to the PPC (速報/確報), in the order of its form's items."""
    return _pdf(incident, "lifecycle/pdf_report.html")


def letters_pdf(incident: Incident) -> bytes:
    """One notification letter (本人への通知) per affected person, one page each."""
    return _pdf(incident, "lifecycle/pdf_letters.html")
