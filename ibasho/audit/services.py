from collections.abc import Iterable
from typing import Any

from ibasho.audit.models import AuditEntry


def record_audit(
    action: str,
    *,
    by: Any,
    organisation: Any = None,
    target: Any = None,
    person: Any = None,
    fields: Iterable[str] = (),
) -> AuditEntry:
    """Write one audit entry. `fields` names what changed; values are never copied here. The
    organisation defaults to that of the person (or the target) the entry is about."""
    if organisation is None:
        organisation = getattr(person, "organisation", None) or target.organisation
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_code=str(getattr(target, "code", getattr(target, "pk", ""))) if target else "",
        person_code=getattr(person, "code", None),
        fields=sorted(fields),
    )
