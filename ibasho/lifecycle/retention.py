"""Retention and erasure: find the people whose records have outlived their retention period,
prepare a shredding batch for an organisation admin to confirm, and shred it; legal holds; a
person's requests to stop using or to erase their data (APPI Art. 35); pruning the audit trail."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership, Organisation
from ibasho.audit.models import AuditEntry
from ibasho.audit.services import record_audit
from ibasho.imports.models import ImportJob
from ibasho.lib import limits
from ibasho.lib.dates import add_months
from ibasho.lifecycle.models import (
    BatchItem,
    LegalHold,
    PersonRequest,
    RecordType,
    RetentionSettings,
    ShreddingBatch,
)
from ibasho.lifecycle.registry import RULES, Rule
from ibasho.notifications.models import Notification
from ibasho.people.models import Case, Person
from ibasho.provisions.models import ProvisionRecord
from ibasho.provisions.services import record_years

MAX_YEARS = 100


def require_admin(by: Any, organisation_id: int) -> None:
    """The rule behind every door: only an active admin of the organisation decides."""
    if not Membership.objects.admins().filter(user=by, organisation_id=organisation_id).exists():
        raise ValidationError(_("Only an organisation admin can do this."), code="not_admin")


def _reason(value: str, field: str = "reason") -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: _("Say why.")}, code="required")
    try:
        limits.check_text(value, max_length=200, lines=False)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return value


# -- settings -----------------------------------------------------------------------------


def save_settings(
    organisation: Organisation, *, years: dict[str, int], audit_years: int, by: Any
) -> RetentionSettings:
    require_admin(by, organisation.pk)
    problems: dict[str, list[str]] = {}
    message = _("Enter a number of years from 1 to %(most)s.") % {"most": MAX_YEARS}
    for record_type, value in years.items():
        if record_type not in RecordType.values:
            problems.setdefault("__all__", []).append(_("Unknown record type."))
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_YEARS:
            problems[record_type] = [message]
    valid_audit = isinstance(audit_years, int) and not isinstance(audit_years, bool)
    if not valid_audit or not 1 <= audit_years <= MAX_YEARS:
        problems["audit_years"] = [message]
    elif not problems and audit_years < max(years.values(), default=1):
        # The trail must be able to answer for the data as long as the data exists.
        problems["audit_years"] = [_("Keep the audit trail at least as long as the records.")]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        found, _created = RetentionSettings.objects.update_or_create(
            organisation=organisation, defaults={"years": years, "audit_years": audit_years}
        )
        record_audit(
            "lifecycle.settings.saved",
            by=by,
            organisation=organisation,
            fields=[*years, "audit_years"],
        )
    return found


# -- who is due ---------------------------------------------------------------------------


def held_people(organisation_id: int) -> set[int]:
    """People under an active legal hold, on themselves or on one of their cases."""
    return set(
        LegalHold.unscoped.filter(organisation_id=organisation_id, lifted_at__isnull=True)
        .values_list("person_id", flat=True)
    )  # fmt: skip


def shredded(organisation_id: int) -> set[tuple[int, str]]:
    """(person, record type) pairs already shredded, or waiting in an erasure batch."""
    return set(
        BatchItem.unscoped.filter(organisation_id=organisation_id)
        .filter(
            models.Q(batch__status=ShreddingBatch.Status.DONE)
            | models.Q(
                batch__status=ShreddingBatch.Status.PREVIEW,
                batch__reason=ShreddingBatch.Reason.REQUEST,
            )
        )
        .values_list("person_id", "record_type")
    )


def due_for_shredding(organisation: Organisation, today: dt.date) -> dict[str, set[int]]:
    """Per record type, the people whose every case closed longer ago than its retention
    period, who are not on hold and not yet shredded. People never given a case are kept:
    retention counts from a closure."""
    settings = RetentionSettings.for_organisation(organisation.pk)
    last_closed = dict(
        Case.unscoped.filter(organisation_id=organisation.pk)
        .values("person_id")
        .annotate(
            last=Max("closed_on"),
            open=models.Count("id", filter=models.Q(status=Case.Status.OPEN)),
            undated=models.Count("id", filter=models.Q(closed_on__isnull=True)),
        )
        .filter(open=0, undated=0)
        .values_list("person_id", "last")
    )
    held = held_people(organisation.pk)
    done = shredded(organisation.pk)
    due: dict[str, set[int]] = {}
    for record_type in RecordType.values:
        cutoff = add_months(today, -12 * settings.years_for(record_type))
        people = {
            person
            for person, last in last_closed.items()
            if last < cutoff and person not in held and (person, record_type) not in done
        }
        if people:
            due[record_type] = people
    return due


# -- batches ------------------------------------------------------------------------------


def _new_batch(
    organisation: Organisation, reason: str, due: dict[str, set[int]], today: dt.date
) -> ShreddingBatch:
    batch = ShreddingBatch.objects.create(
        organisation=organisation, reason=reason, prepared_on=today
    )
    BatchItem.objects.bulk_create(
        BatchItem(organisation=organisation, batch=batch, person_id=person, record_type=kind)
        for kind, people in due.items()
        for person in sorted(people)
    )
    return batch


def prepare_retention_batch(
    organisation: Organisation, today: dt.date | None = None
) -> ShreddingBatch | None:
    """Replace the organisation's waiting retention batch with today's: the people due now.
    None when no one is due. Nothing is shredded until an admin confirms."""
    today = today or organisation.today()
    with transaction.atomic():
        waiting = ShreddingBatch.unscoped.filter(
            organisation=organisation,
            reason=ShreddingBatch.Reason.RETENTION,
            status=ShreddingBatch.Status.PREVIEW,
        )
        waiting.update(status=ShreddingBatch.Status.CANCELLED)
        due = due_for_shredding(organisation, today)
        if not due:
            return None
        batch = _new_batch(organisation, ShreddingBatch.Reason.RETENTION, due, today)
        record_audit(
            "lifecycle.batch.prepared",
            by=None,
            target=batch,
            count=len(set().union(*due.values())),
            fields=sorted(due),
        )
    return batch


def cancel_batch(batch: ShreddingBatch, *, by: Any) -> ShreddingBatch:
    require_admin(by, batch.organisation_id)
    with transaction.atomic():
        batch = ShreddingBatch.unscoped.select_for_update().get(pk=batch.pk)
        if batch.status != ShreddingBatch.Status.PREVIEW:
            raise ValidationError(_("This batch is no longer waiting."), code="not_waiting")
        batch.status = ShreddingBatch.Status.CANCELLED
        batch.save(update_fields=["status", "updated_at"])
        PersonRequest.unscoped.filter(batch=batch).update(batch=None)
        record_audit("lifecycle.batch.cancelled", by=by, target=batch)
    return batch


def blank_value(field: models.Field) -> Any:  # type: ignore[type-arg]
    """What a shredded field holds: nothing (null, empty text, an empty list or map, false)."""
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else []
    if isinstance(field, models.BooleanField):
        return False
    return ""


def _shred_rule(
    organisation_id: int, model: type[models.Model], rule: Rule, keys: Iterable[int]
) -> int:
    rows = model.unscoped.filter(  # type: ignore[attr-defined]
        organisation_id=organisation_id, **{f"{rule.path}__in": list(keys)}
    )
    if rule.delete:
        return int(rows.delete()[0])
    fields = {f.name: f for f in model._meta.concrete_fields}
    values = {name: blank_value(fields[name]) for name in rule.blank}
    return int(rows.update(**values, **(_touched(model))))


def _touched(model: type[models.Model]) -> dict[str, Any]:
    names = {f.name for f in model._meta.concrete_fields}
    return {"updated_at": timezone.now()} if "updated_at" in names else {}


def _households_to_shred(organisation_id: int, people: set[int]) -> set[int]:
    """Households every one of whose people has had their family records shredded (now or
    before): a household shared with someone still supported is kept."""
    done = {
        person
        for person, kind in BatchItem.unscoped.filter(
            organisation_id=organisation_id, batch__status=ShreddingBatch.Status.DONE
        ).values_list("person_id", "record_type")
        if kind == RecordType.FAMILY
    } | people
    households = Person.unscoped.filter(pk__in=people, household__isnull=False).values("household")
    members: dict[int, set[int]] = defaultdict(set)
    for person, household in Person.unscoped.filter(household__in=households).values_list(
        "pk", "household"
    ):
        members[household].add(person)
    return {household for household, who in members.items() if who <= done}


def shred(items: Iterable[BatchItem], organisation_id: int) -> dict[str, int]:
    """Empty the personal fields of the items' records (in the caller's transaction). Running
    it again changes nothing more: shredding is idempotent."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for item in items:
        by_type[item.record_type].add(item.person_id)
    changed: dict[str, int] = {}
    for label, rule in RULES.items():
        people = by_type.get(rule.record_type)
        if not people:
            continue
        keys = _households_to_shred(organisation_id, people) if rule.household else people
        if keys:
            changed[label] = _shred_rule(organisation_id, apps.get_model(label), rule, keys)
    return changed


def confirm_batch(batch: ShreddingBatch, *, by: Any) -> ShreddingBatch:
    """The admin's confirmation: shred every item of the batch in one transaction. People put
    on hold since the preview are left out. A batch already shredded stays as it is."""
    require_admin(by, batch.organisation_id)
    with transaction.atomic():
        batch = ShreddingBatch.unscoped.select_for_update().get(pk=batch.pk)
        if batch.status == ShreddingBatch.Status.DONE:
            return batch
        if batch.status != ShreddingBatch.Status.PREVIEW:
            raise ValidationError(_("This batch was cancelled."), code="cancelled")
        held = held_people(batch.organisation_id)
        batch.items.filter(person_id__in=held).delete()
        items = list(batch.items.all())
        changed = shred(items, batch.organisation_id)
        batch.status = ShreddingBatch.Status.DONE
        batch.confirmed_by = by
        batch.done_at = timezone.now()
        batch.save(update_fields=["status", "confirmed_by", "done_at", "updated_at"])
        people = Person.unscoped.filter(pk__in={i.person_id for i in items})
        types: dict[int, list[str]] = defaultdict(list)
        for item in items:
            types[item.person_id].append(item.record_type)
        for person in people:
            record_audit(
                "lifecycle.person.shredded", by=by, target=batch, person=person,
                fields=types[person.pk],
            )  # fmt: skip
        PersonRequest.unscoped.filter(batch=batch).update(status=PersonRequest.Status.ERASED)
        record_audit(
            "lifecycle.batch.shredded",
            by=by,
            target=batch,
            count=len(types),
            fields=sorted(changed),
        )
    return batch


# -- holds --------------------------------------------------------------------------------


def place_hold(person: Person, *, reason: str, by: Any, case: Case | None = None) -> LegalHold:
    require_admin(by, person.organisation_id)
    reason = _reason(reason)
    if case is not None and case.person_id != person.pk:
        raise ValidationError({"case": _("This case is not the person's.")})
    with transaction.atomic():
        hold = LegalHold.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            case=case,
            reason=reason,
            placed_by=by,
        )
        record_audit("lifecycle.hold.placed", by=by, target=hold, person=person, fields=["reason"])
    return hold


def lift_hold(hold: LegalHold, *, reason: str, by: Any) -> LegalHold:
    require_admin(by, hold.organisation_id)
    reason = _reason(reason)
    with transaction.atomic():
        hold = LegalHold.unscoped.select_for_update().get(pk=hold.pk)
        if not hold.active:
            raise ValidationError(_("This hold was already lifted."), code="lifted")
        hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), by, reason
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
        record_audit(
            "lifecycle.hold.lifted", by=by, target=hold, person=hold.person,
            fields=["lift_reason"],
        )  # fmt: skip
    return hold


# -- a person's requests ------------------------------------------------------------------


def suspensions_in_force() -> models.QuerySet[Any]:
    """The people suspended now, as a subquery (registered with ibasho.lib.suspensions)."""
    return PersonRequest.unscoped.filter(
        kind=PersonRequest.Kind.SUSPENSION, status=PersonRequest.Status.OPEN
    ).values("person_id")


def suspended_people(organisation_id: int) -> set[int]:
    return set(
        PersonRequest.unscoped.filter(
            organisation_id=organisation_id,
            kind=PersonRequest.Kind.SUSPENSION,
            status=PersonRequest.Status.OPEN,
        ).values_list("person_id", flat=True)
    )


def record_request(
    person: Person, *, kind: str, received_on: dt.date, details: str, by: Any
) -> PersonRequest:
    """Record a request. An erasure prepares a batch of all the person's records for an
    admin to confirm; a suspension is in force at once, until lifted."""
    require_admin(by, person.organisation_id)
    if kind not in PersonRequest.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of request.")})
    limits.validate(received_on=(limits.record_day, received_on))
    limits.validate(details=(limits.check_text, details))
    with transaction.atomic():
        request = PersonRequest.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            kind=kind,
            received_on=received_on,
            details=details,
            recorded_by=by,
        )
        if kind == PersonRequest.Kind.ERASURE:
            request.batch = _erasure_batch(person, request)
            request.save(update_fields=["batch"])
        record_audit(
            f"lifecycle.request.{kind}", by=by, target=request, person=person,
            fields=["kind", "received_on", "details"],
        )  # fmt: skip
    return request


def _erasure_batch(person: Person, request: PersonRequest) -> ShreddingBatch:
    if person.pk in held_people(person.organisation_id):
        raise ValidationError(
            _("A legal hold stands on this person: lift it before erasing."), code="held"
        )
    if Case.unscoped.filter(person=person, status=Case.Status.OPEN).exists():
        raise ValidationError(
            _("The person still has an open case: close it before erasing."), code="open_case"
        )
    done = shredded(person.organisation_id)
    due = {kind: {person.pk} for kind in RecordType.values if (person.pk, kind) not in done}
    if not due:
        raise ValidationError(_("This person's records are already erased."), code="erased")
    batch = _new_batch(person.organisation, ShreddingBatch.Reason.REQUEST, due, request.received_on)
    record_audit("lifecycle.batch.prepared", by=request.recorded_by, target=batch, count=1,
                 fields=sorted(due))  # fmt: skip
    return batch


def lift_suspension(request: PersonRequest, *, by: Any) -> PersonRequest:
    require_admin(by, request.organisation_id)
    with transaction.atomic():
        request = PersonRequest.unscoped.select_for_update().get(pk=request.pk)
        if request.kind != PersonRequest.Kind.SUSPENSION or request.status != request.Status.OPEN:
            raise ValidationError(_("This request is not a suspension in force."), code="state")
        request.status = PersonRequest.Status.LIFTED
        request.lifted_on = request.organisation.today()
        request.save(update_fields=["status", "lifted_on", "updated_at"])
        record_audit(
            "lifecycle.request.lifted", by=by, target=request, person=request.person,
            fields=["status"],
        )  # fmt: skip
    return request


# -- the audit trail ----------------------------------------------------------------------


def prune_audit(organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Delete the organisation's audit entries older than its audit retention period."""
    now = now or timezone.now()
    years = RetentionSettings.for_organisation(organisation.pk).audit_years
    local = now.astimezone(organisation.zone).date()
    cutoff_day = add_months(local, -12 * years)
    cutoff = dt.datetime.combine(cutoff_day, dt.time(), tzinfo=organisation.zone)
    with transaction.atomic():
        count, _deleted = AuditEntry.objects.filter(
            organisation=organisation, at__lt=cutoff
        ).delete()
        if count:
            record_audit("lifecycle.audit.pruned", by=None, organisation=organisation, count=count)
    return int(count)


# Inbox items are news, not records: their details (a reason typed when breaking the glass)
# go after this long; what happened stays in the audit trail.
INBOX_DAYS = 180


def prune_inbox(organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Delete the organisation's inbox items older than `INBOX_DAYS`."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=INBOX_DAYS)
    count, _deleted = Notification.unscoped.filter(
        organisation=organisation, created_at__lt=cutoff
    ).delete()
    return int(count)


# An uploaded spreadsheet holds a whole caseload: once imported, its rows live in the records
# and the file itself goes after this long (the job's counts and row errors stay).
IMPORT_FILE_DAYS = 30


def prune_import_files(organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Erase the uploaded files of the organisation's imports finished `IMPORT_FILE_DAYS` ago."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=IMPORT_FILE_DAYS)
    return (
        ImportJob.unscoped.filter(organisation=organisation, finished_at__lt=cutoff)
        .exclude(content=b"")
        .update(content=b"")
    )


def prune_provision_records(organisation: Organisation, today: dt.date | None = None) -> int:
    """Delete the provision and receipt records whose time is over: dated more than
    IBASHO_PROVISION_RECORD_YEARS ago, about a person whose records were shredded (identity)
    at least as long ago, or whose row is gone. A record about a person still held stays, so
    that they can ask to see it (APPI Art. 33)."""
    today = today or organisation.today()
    cutoff = add_months(today, -12 * record_years())
    cutoff_moment = dt.datetime.combine(cutoff, dt.time(), tzinfo=organisation.zone)
    long_shredded = BatchItem.unscoped.filter(
        organisation=organisation,
        record_type=RecordType.IDENTITY,
        batch__status=ShreddingBatch.Status.DONE,
        batch__done_at__lt=cutoff_moment,
    ).values("person_id")
    old = ProvisionRecord.unscoped.filter(organisation=organisation, on__lt=cutoff)
    gone = old.filter(models.Q(person__isnull=True) | models.Q(person_id__in=long_shredded))
    with transaction.atomic():
        count, _deleted = gone.delete()
        if count:
            record_audit(
                "lifecycle.provision_records.pruned", by=None, organisation=organisation,
                count=count,
            )  # fmt: skip
    return int(count)


# Apps above lifecycle whose records have their own time (a meeting's minutes) register the
# function that prunes them; the daily job runs each for every organisation.
_pruners: list[Callable[[Organisation, dt.date | None], int]] = []


def register_pruner(pruner: Callable[[Organisation, dt.date | None], int]) -> None:
    if pruner not in _pruners:
        _pruners.append(pruner)


def daily(today: dt.date | None = None) -> list[ShreddingBatch]:
    """The daily job: for every organisation, prune its audit trail and prepare the batch of
    people due for shredding (which waits for an admin)."""
    prepared = []
    for organisation in Organisation.objects.all():
        prune_audit(organisation)
        prune_inbox(organisation)
        prune_import_files(organisation)
        prune_provision_records(organisation, today)
        for pruner in _pruners:
            pruner(organisation, today)
        batch = prepare_retention_batch(organisation, today)
        if batch is not None:
            prepared.append(batch)
    return prepared
