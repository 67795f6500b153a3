"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from ibasho.accounts.models import ApiToken, Membership, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        found = (
            ApiToken.objects.usable()
            .select_related("membership__organisation", "membership__user")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None:
            return None
        # Touch at most once a minute so reads stay reads.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.membership.user
        return found.membership


api = NinjaAPI(title="Ibasho API", version="1", auth=TokenAuth(), urls_namespace="api")


@api.exception_handler(ValidationError)
def validation_errors(request: HttpRequest, exc: ValidationError) -> Any:
    """422 with, for every problem, the field and the reason."""
    errors = [
        {
            "field": ".".join(
                str(p) for p in err.get("loc", []) if p not in {"body", "payload", "query"}
            ),
            "reason": err.get("msg", ""),
        }
        for err in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


api.add_router("/people", "ibasho.people.api.router")
api.add_router("/programmes", "ibasho.programmes.api.router")
api.add_router("/families", "ibasho.families.api.router")
api.add_router("", "ibasho.outreach.api.router")
api.add_router("/", "ibasho.outcomes.api.router")
api.add_router("/reports", "ibasho.reports.api.router")
