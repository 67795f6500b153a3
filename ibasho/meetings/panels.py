"""The person page's panel: the support meetings the reader sits at where the person was
discussed, and whether sharing now rests on the person's consent."""

from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.meetings.models import MeetingMember, SharedPerson
from ibasho.meetings.services import sharing_consent
from ibasho.people.models import Person


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    entries = list(
        SharedPerson.objects.visible_to(request.membership)
        .filter(person=person)
        .select_related("meeting")
    )
    if not entries:
        return None
    mine = set(
        MeetingMember.unscoped.filter(membership=request.membership).values_list(
            "meeting_id", flat=True
        )
    )
    # A meeting is shown only to its members (access.seat's rule); anyone else who works
    # with the person learns only that sharing now rests on their consent, if it does.
    shown = [e for e in entries if e.meeting_id in mine]
    consent = sharing_consent(person)
    if not shown and consent is None:
        return None
    return {"person": person, "entries": shown, "consent": consent}
