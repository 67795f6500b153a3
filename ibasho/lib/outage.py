"""An honest answer while the database cannot be reached: 503 with Retry-After, as JSON for the
API and as a bilingual page for the web (one that needs no database to render). Django opens
a new connection for the next request, so service comes back by itself once the database does."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER = "30"


def database_down() -> bool:
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 for a database outage, else Django's 500 (JSON for the API)."""
    api = request.path_info.startswith("/api/")
    if database_down():
        if api:
            body = {"detail": "The database is unavailable. Try again shortly."}
            response: HttpResponse = JsonResponse(body, status=503)
        else:
            page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    if api:
        return JsonResponse({"detail": "Internal server error"}, status=500)
    return defaults.server_error(request)
