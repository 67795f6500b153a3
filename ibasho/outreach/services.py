from typing import Any

from django.db import transaction

from ibasho.audit.services import record_audit
from ibasho.outreach.models import Contact


@transaction.atomic
def record_contact(person: Any, *, by: Any, **fields: Any) -> Contact:
    """Log a contact or attempt with a person (or their family) and audit it."""
    contact = Contact(
        organisation_id=person.organisation_id, person=person, created_by=by, **fields
    )
    if contact.staff_id is None and getattr(by, "pk", None):
        contact.staff = by
    contact.full_clean()
    contact.save()
    record_audit(
        "outreach.contact.recorded",
        by=by,
        organisation=person.organisation,
        target=contact,
        person=person,
        fields=sorted(fields),
    )
    return contact
