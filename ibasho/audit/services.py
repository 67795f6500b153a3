from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from ibasho.audit.context import current_origin
from ibasho.audit.models import AuditEntry
from ibasho.lib import bulk


def record_audit(
    action: str,
    *,
    by: Any,
    organisation: Any = None,
    target: Any = None,
    person: Any = None,
    fields: Iterable[str] = (),
    count: int | None = None,
) -> AuditEntry:
    """Write one audit entry. `fields` names what changed; values are never copied here. The
    organisation defaults to that of the person (or the target) the entry is about."""
    entry = audit_entry(
        action, by=by, organisation=organisation, target=target, person=person,
        fields=fields, count=count,
    )  # fmt: skip
    entry.save()
    return entry


def audit_entry(
    action: str,
    *,
    by: Any,
    organisation: Any = None,
    target: Any = None,
    person: Any = None,
    fields: Iterable[str] = (),
    count: int | None = None,
) -> AuditEntry:
    """The entry `record_audit` writes, unsaved: many are written at once with
    `AuditEntry.objects.bulk_create` (an imported history)."""
    # The ids in hand: a person read without their organisation is not read again for it.
    if organisation is not None:
        organisation_id = organisation.pk
    else:
        organisation_id = getattr(person, "organisation_id", None) or target.organisation_id
    origin = current_origin()
    return AuditEntry(
        channel=origin.channel,
        ip=origin.ip,
        token_id=origin.token_id,
        organisation_id=organisation_id,
        actor_id=getattr(by, "pk", None) or None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_code=str(getattr(target, "code", getattr(target, "pk", ""))) if target else "",
        person_code=getattr(person, "code", None),
        fields=sorted(fields),
        count=count,
    )


def audit_read(
    request: HttpRequest,
    action: str,
    target: Any,
    *,
    person: Any = None,
    fields: Iterable[str] = (),
    count: int | None = None,
) -> AuditEntry | None:
    """Record that a page or endpoint showed `target` (about `person`, if one). Only a GET
    counts: a form posted back shows again what its GET already recorded, and the write
    itself is audited by its service. `request` has passed a guard (web or API), so it
    carries the reader's membership."""
    if request.method != "GET":
        return None
    membership: Any = getattr(request, "membership", None)  # set by the guard that let it in
    entry = audit_entry(
        action,
        by=request.user,
        organisation=membership.organisation,
        target=target,
        person=person,
        fields=fields,
        count=count,
    )
    # Written on every page a person's record is read from: one INSERT whose statement is made
    # once (ibasho.lib.bulk), not a model save. The entry's id is not read back.
    bulk.insert(AuditEntry, [entry])
    return entry


def audit_list(
    request: HttpRequest, action: str, count: int, *, target: Any = None
) -> AuditEntry | None:
    """Record one read of a list: one entry per request, naming how many people it showed
    (never who)."""
    return audit_read(request, action, target, count=count)


def people_in(rows: Iterable[Any]) -> int:
    """How many different people some rows show: people themselves or records about one."""
    return len({getattr(row, "person_id", row.pk) for row in rows})
