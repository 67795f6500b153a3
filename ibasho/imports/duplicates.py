"""Linking two records of one person. The later record's history (cases, contacts, stages,
consents, programme places, instruments, safety events …) moves onto the earlier one, empty
fields of the earlier record are filled from the later, and the later record is removed; the
audit trail names both. This lives in `imports`, above every app whose rows it moves, so it
can find them through the person's relations without the people app knowing them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.audit.services import record_audit
from ibasho.imports.models import ImportedRow, Kind
from ibasho.outreach.services.plans import refresh_plans_for
from ibasho.people.models import Person, PossibleDuplicate
from ibasho.people.services import change_person

# Fields of the later record that fill the earlier one's where it has none.
FILLED = (
    "given_name", "given_name_kana", "preferred_name", "birth_date", "birth_year", "prefecture",
    "municipality", "household", "withdrawal_since", "earlier_episodes", "own_words", "goals",
    "things_to_avoid", "referral_source",
)  # fmt: skip


@transaction.atomic
def merge_same_person(pair: PossibleDuplicate, *, by: Any) -> Person:
    if pair.status != PossibleDuplicate.Status.OPEN or pair.other is None:
        raise ValidationError({"status": _("This has already been decided.")})
    kept, merged = pair.person, pair.other
    moved = []
    for relation in Person._meta.related_objects:
        model: Any = relation.related_model
        if model is PossibleDuplicate or not relation.one_to_many:
            continue
        name = relation.field.name
        try:
            with transaction.atomic():
                count = model._base_manager.filter(**{name: merged}).update(**{name: kept})
        except IntegrityError:
            raise ValidationError(
                {
                    "status": _(
                        "Both records hold a %(record)s that can exist only once per "
                        "person: change one of them first."
                    )
                    % {"record": model._meta.verbose_name}
                }  # fmt: skip
            ) from None
        if count:
            moved.append(model._meta.label_lower)
    fill = {
        name: getattr(merged, name)
        for name in FILLED
        if getattr(merged, name) not in (None, "") and getattr(kept, name) in (None, "")
    }
    if fill.get("birth_date") and kept.birth_year and fill["birth_date"].year != kept.birth_year:
        fill.pop("birth_date")
    if fill:
        change_person(kept, by=by, **fill)
    ImportedRow.objects.filter(
        organisation_id=kept.organisation_id, kind=Kind.PEOPLE, target_code=merged.code
    ).update(target_code=kept.code)
    pair.status = PossibleDuplicate.Status.SAME
    pair.decided_by = by
    pair.decided_at = timezone.now()
    pair.other_code = merged.code
    pair.save(update_fields=["status", "decided_by", "decided_at", "other_code", "updated_at"])
    record_audit("people.person.merged", by=by, target=kept, person=kept, fields=sorted(moved))
    record_audit("people.person.merged_away", by=by, target=merged, person=merged,
                 fields=sorted(moved))  # fmt: skip
    # Other open questions about the removed record now ask about the kept one.
    PossibleDuplicate.objects.filter(other=merged).exclude(pk=pair.pk).delete()
    PossibleDuplicate.objects.filter(person=merged).exclude(pk=pair.pk).delete()
    merged.delete()
    refresh_plans_for(kept)
    return kept
