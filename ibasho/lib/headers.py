"""Headers every response carries beyond Django's own: Permissions-Policy, and `no-store` on
everything but static assets, so that no page or API answer holding personal data is kept by a
browser or a proxy cache."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        static = settings.STATIC_URL
        self.static = static if static.startswith("/") else "/" + static

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not request.path_info.startswith(self.static):
            add_never_cache_headers(response)
        return response
