from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as RefusedByService
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.exchange import person as disclosure
from ibasho.people.models import Person
from ibasho.provisions.models import Basis

router = Router(tags=["export"])


@router.get(
    "/people/{code}/export",
    response=dict[str, Any],
    openapi_extra={
        "responses": {
            200: {
                "description": "Every record held on the person and the audit trail of who "
                "read it: JSON (format=json), or a PDF to read (format=pdf)",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def person_export(
    request: HttpRequest,
    code: UUID,
    format: Literal["json", "pdf"] = "json",
    for_whom: Literal["person", "third_party"] = "person",
    recipient: str = "",
    basis: Basis = Basis.CONSENT,
) -> Any:
    """Everything held on one person, for a disclosure request or a handover (coordinators and
    admins). Making it is recorded in the audit trail. Made for a third party
    (`for_whom=third_party`, with the `recipient` and the legal `basis`), it is also a
    provision, recorded in the provision records."""
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    person = get_object_or_404(
        Person.objects.visible_to(membership).select_related("organisation"), code=code
    )
    with transaction.atomic():
        if for_whom == disclosure.ForWhom.THIRD_PARTY:
            if not recipient.strip():
                raise RefusedByService({"recipient": _("Name the recipient.")})
            disclosure.record_third_party(person, recipient=recipient, basis=basis, by=membership)
        content = disclosure.export_person(person, format, by=membership.user)
    if format == "pdf":
        response = HttpResponse(content, content_type="application/pdf")
        name = disclosure.file_name(person, "pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return HttpResponse(content, content_type="application/json")
