"""The one write door for provision and receipt records. Referrals, transfers, support
meetings and exports call these; nothing else writes a ProvisionRecord."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership, Organisation
from ibasho.audit.services import record_audit
from ibasho.lib import limits
from ibasho.people.models import Person
from ibasho.provisions.items import ITEM_GROUPS
from ibasho.provisions.models import Basis, Direction, ProvisionRecord, Via

DEFAULT_YEARS = 3


def record_years() -> int:
    """How many years a record is kept (at least the three the law asks)."""
    years = getattr(settings, "IBASHO_PROVISION_RECORD_YEARS", DEFAULT_YEARS)
    return max(DEFAULT_YEARS, int(years))


def _checked_items(items: Sequence[str]) -> list[str]:
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise ValidationError({"items": _("Choose the items shared.")}, code="items")
    unknown = [i for i in items if i not in ITEM_GROUPS]
    if unknown or not items:
        message = _("Unknown item group.") if unknown else _("Choose the items shared.")
        raise ValidationError({"items": message}, code="items")
    return [i for i in ITEM_GROUPS if i in items]


def _write(
    direction: str,
    *,
    organisation: Organisation,
    person: Person,
    counterpart_organisation: Organisation | None,
    counterpart_name: str,
    items: Sequence[str],
    basis: str,
    via: str,
    actor: Membership | None,
    on: dt.date | None,
    reference: str,
    how_obtained: str = "",
) -> ProvisionRecord:
    problems: dict[str, Any] = {}
    # A receipt may be about a person this organisation holds no record of (what a support
    # meeting shared): the record then keeps the snapshot and the source's code, not a key.
    own = person.organisation_id == organisation.pk
    if not own and (
        direction == Direction.PROVISION
        or counterpart_organisation is None
        or person.organisation_id != counterpart_organisation.pk
    ):
        raise ValidationError({"person": _("Choose a person of this organisation.")})
    if actor is not None and actor.organisation_id != organisation.pk:
        raise ValidationError(_("Only a member of the organisation can record this."))
    if counterpart_organisation is not None:
        if counterpart_organisation.pk == organisation.pk:
            problems["counterpart"] = [_("The other side must be another organisation.")]
        counterpart_name = counterpart_name.strip() or counterpart_organisation.name
    counterpart_name = (counterpart_name or "").strip()
    if not counterpart_name:
        problems["counterpart"] = [_("Name the other organisation or person.")]
    on = on or organisation.today()
    try:
        chosen = _checked_items(items)
    except ValidationError as error:
        problems.update(error.message_dict)
        chosen = []
    if basis not in Basis.values:
        problems["basis"] = [_("Choose a legal basis.")]
    if via not in Via.values:
        problems["via"] = [_("Choose how the data went.")]
    if direction == Direction.RECEIPT and not (how_obtained or "").strip():
        problems["how_obtained"] = [_("Say how the source obtained the data.")]
    checks = {
        "on": (limits.record_day, on),
        "counterpart": (lambda v: limits.check_text(v, max_length=200, lines=False),
                        counterpart_name),
        "reference": (lambda v: limits.check_text(v, max_length=100, lines=False), reference),
        "how_obtained": (lambda v: limits.check_text(v, max_length=200, lines=False),
                         how_obtained),
    }  # fmt: skip
    try:
        limits.validate(**checks)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        record = ProvisionRecord.objects.create(
            organisation=organisation,
            direction=direction,
            on=on,
            counterpart_code=counterpart_organisation.code if counterpart_organisation else None,
            counterpart_name=counterpart_name,
            person=person if own else None,
            person_code=person.code,
            person_name=person.full_name,
            person_birth_date=person.birth_date.isoformat() if person.birth_date else "",
            items=chosen,
            basis=basis,
            via=via,
            how_obtained=how_obtained.strip(),
            reference=reference.strip(),
            actor=actor.user if actor is not None else None,
        )
        record_audit(
            f"provisions.{direction}_recorded",
            by=actor.user if actor is not None else None,
            organisation=organisation,
            target=record,
            person=person if own else None,
            fields=chosen,
        )
    return record


def record_provision(
    *,
    organisation: Organisation,
    person: Person,
    recipient_organisation: Organisation | None = None,
    recipient_name: str = "",
    items: Sequence[str],
    basis: str,
    via: str,
    actor: Membership | None,
    on: dt.date | None = None,
    reference: str = "",
) -> ProvisionRecord:
    """Record that `organisation` provided `items` of `person`'s record to a recipient (an
    organisation on this installation, or a name). Audited."""
    return _write(
        Direction.PROVISION,
        organisation=organisation,
        person=person,
        counterpart_organisation=recipient_organisation,
        counterpart_name=recipient_name,
        items=items,
        basis=basis,
        via=via,
        actor=actor,
        on=on,
        reference=reference,
    )


def record_receipt(
    *,
    organisation: Organisation,
    person: Person,
    source_organisation: Organisation | None = None,
    source_name: str = "",
    items: Sequence[str],
    basis: str,
    via: str,
    how_obtained: str,
    actor: Membership | None,
    on: dt.date | None = None,
    reference: str = "",
) -> ProvisionRecord:
    """Record that `organisation` received `items` about `person` (its own record of them)
    from a source, and how the source obtained them. Audited."""
    return _write(
        Direction.RECEIPT,
        organisation=organisation,
        person=person,
        counterpart_organisation=source_organisation,
        counterpart_name=source_name,
        items=items,
        basis=basis,
        via=via,
        actor=actor,
        on=on,
        reference=reference,
        how_obtained=how_obtained,
    )
