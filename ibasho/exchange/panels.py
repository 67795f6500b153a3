from typing import Any

from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.people.models import Person


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """The way to the person's export, for the roles that may make it."""
    if request.membership.role not in SUPERVISOR_ROLES:
        return None
    return {"person": person}
