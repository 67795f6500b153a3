"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as RefusedByService
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from ibasho.accounts.api_auth import TokenAuth, in_token_scope


class Problem(Schema):
    field: str  # dotted path in the request ("answers.3"), or "" for the request as a whole
    reason: str


class Problems(Schema):
    detail: list[Problem]


class Message(Schema):
    detail: str


# Where ninja says a parameter came from, and the name of the body parameter: not part of the
# field's name as a client knows it.
SOURCES = {"body", "payload", "query", "path", "header", "cookie", "form", "file"}
# A reason longer than this is cut: a reason never needs to repeat what was sent.
REASON_LENGTH = 200


def _reason(text: Any) -> str:
    text = str(text)
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def refusal(
    request: HttpRequest, problems: Iterable[tuple[str, Any]], status: int = 422
) -> HttpResponse:
    """The one refusal of the API: for every problem, the field and the reason, never the
    value. 422 for input that was read; 400 for a body that could not be read at all."""
    detail = [{"field": field, "reason": _reason(reason)} for field, reason in problems]
    return api.create_response(request, {"detail": detail}, status=status)


def _field(loc: Iterable[Any]) -> str:
    # Pydantic names the member of a union it tried ("list[nullable[int]]"): not a field.
    return ".".join(str(p) for p in loc if p not in SOURCES and "[" not in str(p))


class IbashoAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation may refuse its input (422), needs a token (401; a write needs a
        write token, 403), and answers 404 for a record outside the caller's reach; the document
        says so, with the bodies' shapes."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problems, Message):
            found = model.json_schema()
            components.update(found.pop("$defs", {}))
            components[model.__name__] = found
        answers = {
            422: ("The input was refused: each field and why", "Problems"),
            400: ("The body could not be read as JSON", "Problems"),
            401: ("No valid token (missing, expired or revoked)", "Message"),
            403: ("A read token tried to write", "Message"),
            404: ("Not found, or not in the caller's reach", "Message"),
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (description, name) in answers.items():
                    responses[status] = {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
        return schema


DESCRIPTION = """Send a bearer token (`Authorization: Bearer …`). Request bodies are JSON with
exact types: a number is not a string, `true` is not 1, a date is a string such as
`2025-04-01` and a time a string with its offset such as `2025-04-01T10:00:00+09:00`. A field
the schema does not list is refused, as are control characters in text (tab, new line and
carriage return are allowed in multi-line notes). Every refusal is a 422 listing each field and
the reason; nothing is written."""

api = IbashoAPI(
    title="Ibasho API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
)
# Mode "view" wraps the whole operation, authentication and serialisation included.
api.add_decorator(in_token_scope, mode="view")


@api.exception_handler(ValidationError)
def schema_refusal(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return refusal(request, ((_field(e.get("loc", ())), e.get("msg", "")) for e in exc.errors))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not parse the body
        return refusal(request, [("", "the body is not valid JSON")], status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RefusedByService)
def service_refusal(request: HttpRequest, exc: RefusedByService) -> HttpResponse:
    """A service's ValidationError (nothing was written: services are atomic)."""
    if hasattr(exc, "error_dict"):
        problems = [
            ("" if field == "__all__" else field, " ".join(e.messages[0] for e in errors))
            for field, errors in exc.error_dict.items()
        ]
    else:
        problems = [("", " ".join(exc.messages))]
    return refusal(request, problems)


api.add_router("/people", "ibasho.people.api.router")
api.add_router("/programmes", "ibasho.programmes.api.router")
api.add_router("/families", "ibasho.families.api.router")
api.add_router("", "ibasho.outreach.api.router")
api.add_router("/", "ibasho.outcomes.api.router")
api.add_router("/reports", "ibasho.reports.api.router")
api.add_router("", "ibasho.exchange.api.router")
api.add_router("/imports", "ibasho.imports.api.router")
api.add_router("", "ibasho.provisions.api.router")
api.add_router("/meetings", "ibasho.meetings.api.router")
api.add_router("/referrals", "ibasho.referrals.api.router")
