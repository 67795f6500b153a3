import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read
from ibasho.people.models import Person
from ibasho.provisions import listing
from ibasho.provisions.items import ItemGroup
from ibasho.provisions.models import Basis, Direction, ProvisionRecord, Via

router = Router(tags=["provision records"])


class ProvisionOut(Schema):
    code: UUID
    direction: Direction
    on: dt.date
    counterpart_organisation: UUID | None
    counterpart_name: str
    person: UUID
    person_name: str
    person_birth_date: str
    items: list[ItemGroup]
    basis: Basis
    via: Via
    how_obtained: str
    reference: str
    done_by: str


class FiltersIn(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    direction: Direction | None = None
    basis: Basis | None = None


def _out(record: ProvisionRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "direction": record.direction,
        "on": record.on,
        "counterpart_organisation": record.counterpart_code,
        "counterpart_name": record.counterpart_name,
        "person": record.person_code,
        "person_name": record.person_name,
        "person_birth_date": record.person_birth_date,
        "items": record.items,
        "basis": record.basis,
        "via": record.via,
        "how_obtained": record.how_obtained,
        "reference": record.reference,
        "done_by": record.actor_name,
    }


def _rows(records: Any) -> list[ProvisionRecord]:
    return list(records.select_related("actor"))


@router.get("/provisions", response=list[ProvisionOut])
def organisation_records(request: HttpRequest, filters: Query[FiltersIn]):  # type: ignore[no-untyped-def]
    """The organisation's provision and receipt records (APPI 第三者提供の記録), newest first,
    filtered by period, direction and basis (coordinators and admins)."""
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    chosen = listing.Filters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        direction=filters.direction or "",
        basis=filters.basis or "",
    )
    records = _rows(chosen.apply(ProvisionRecord.objects.visible_to(membership)))
    audit_list(request, "provisions.list.viewed", len({r.person_code for r in records}))
    return [_out(r) for r in records]


@router.get("/people/{code}/provisions", response=list[ProvisionOut])
def person_records(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """One person's provision and receipt records."""
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    records = _rows(ProvisionRecord.objects.visible_to(membership).about(person))
    audit_read(request, "provisions.person.viewed", person, person=person, count=len(records))
    return [_out(r) for r in records]
