"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError

from ibasho.accounts.api_auth import TokenAuth, in_token_scope

api = NinjaAPI(title="Ibasho API", version="1", auth=TokenAuth(), urls_namespace="api")
# Mode "view" wraps the whole operation, authentication and serialisation included.
api.add_decorator(in_token_scope, mode="view")


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
