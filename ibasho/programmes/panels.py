from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.people.models import Person
from ibasho.programmes.models import Enrolment


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any]:
    """The person's current programmes, and the way to the menu of those that fit."""
    enrolments = (
        Enrolment.objects.visible_to(request.membership)
        .current()
        .filter(person=person)
        .select_related("programme", "family_member")
    )
    return {"person": person, "enrolments": enrolments}
