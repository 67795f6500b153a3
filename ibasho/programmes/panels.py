import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from ibasho.accounts.http import MemberRequest
from ibasho.lib.agenda import AgendaItem
from ibasho.lib.prepared import Pending, Prepared, Slot
from ibasho.lib.urls import link_by_code
from ibasho.people.models import Person
from ibasho.programmes.models import Enrolment, Session


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any]:
    """The person's current programmes, and the way to the menu of those that fit."""
    enrolments = (
        Enrolment.objects.visible_to(request.membership)
        .current()
        .filter(person=person)
        .select_related("programme", "family_member")
    )
    return {"person": person, "enrolments": enrolments}


# Read for Today and the week on every view: compiled once (ibasho.lib.prepared).
_FACILITATED = Prepared(
    Session,
    lambda member: (
        Session.objects.visible_to(member)
        .filter(
            date__gte=Slot("first", models.DateField()),
            date__lte=Slot("last", models.DateField()),
            cancelled=False,
            facilitators=member.user_id,
        )
        # Most days have none: the programme is read only when there is a session.
        .prefetch_related("programme")
    ),
    per_member=True,
)


def facilitated(membership: Any, first: dt.date, last: dt.date) -> Pending:
    return _FACILITATED.later(membership=membership, first=first, last=last)


def facilitated_sessions(
    membership: Any, first: dt.date, last: dt.date, sessions: list[Session]
) -> list[AgendaItem]:
    """The sessions the member facilitates (`facilitated`), as items of their agenda."""
    session_url = link_by_code("programmes:session_detail")
    return [
        AgendaItem(
            day=session.date,
            time=session.starts_at,
            kind=_("Session"),
            title=str(session.programme),
            url=session_url(session.code),
        )
        for session in sessions
    ]
