"""Programmes' part of a person's timeline: the sessions they (or a family member for them)
attended or missed."""

from collections.abc import Iterator
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy

from ibasho.lib.timeline import TimelineEntry, person_rows
from ibasho.lib.urls import link_by_code
from ibasho.programmes.models import Attendance

KINDS = {"programme": gettext_lazy("Programmes")}


def _attended(rows: Any) -> Any:
    return rows.select_related("session__programme", "enrolment__family_member").order_by(
        # A session without a time sorts below the day's timed ones, on every database.
        "-session__date",
        F("session__starts_at").desc(nulls_last=True),
        "-pk",
    )


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[TimelineEntry]:
    """Newest first, the newest `newest` if given (see lib.timeline)."""
    session_url = link_by_code("programmes:session_detail")
    rows = person_rows(Attendance, _attended, membership, person, newest, "enrolment__person")
    for row in rows:
        session = row.session
        who = row.enrolment.family_member
        title = f"{session.programme} · {row.get_status_display()}"
        yield TimelineEntry(
            on=session.date,
            at=session.starts_at,
            kind="programme",
            title=f"{title} · {who.name}" if who else title,
            text=row.note,
            url=session_url(session.code),
        )
