"""API list pages that are audited: one entry per page served, naming how many people it
showed."""

from typing import Any

from django.http import HttpRequest

from ibasho.audit.services import audit_list, people_in
from ibasho.lib.schemas import Pages


class AuditedPagination(Pages):
    """`@paginate(AuditedPagination, audit="app.list.viewed")`."""

    def __init__(self, *, audit: str, **kwargs: Any) -> None:
        self.audit = audit
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = rows = list(page["items"])
        audit_list(request, self.audit, people_in(rows))
        return page
