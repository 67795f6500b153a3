from typing import Any

from django.http import HttpRequest

from ibasho.people.models import Person
from ibasho.programmes.models import Enrolment


def person_panel(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The person's current programmes, and the way to the menu of those that fit."""
    enrolments = (
        Enrolment.objects.visible_to(request.membership)  # type: ignore[attr-defined]
        .current()
        .filter(person=person)
        .select_related("programme", "family_member")
    )
    return {"person": person, "enrolments": enrolments}
