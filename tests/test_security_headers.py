"""Headers and assets every response carries, the production settings' deploy check, honest
503s while the database is away, and logs without personal data."""

import logging
import os
import re
import secrets
import subprocess
import sys
from unittest import mock

from cryptography.fernet import Fernet
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ibasho.lib.logs import NoQueryStrings

EXTERNAL = re.compile(r"""(?:src|href|action|url)\s*[=(]\s*["']?(?:https?:)?//""", re.I)


def page_routes(resolver=None, prefix=""):  # type: ignore[no-untyped-def]
    """Every web route without a path parameter (the API and the admin apart)."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or route.startswith(("api/", "admin/", "logout/")):
            continue
        if isinstance(entry, URLResolver):
            yield from page_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$")


class TestHeaders:
    def test_every_page_has_a_strict_policy_and_is_never_stored(self, client_for, admin_a):
        client = client_for(admin_a)
        for path in list(page_routes()) + ["/api/v1/docs", "/login/"]:
            response = client.get(path)
            policy = response.get("Content-Security-Policy", "")
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
            if response.get("Content-Type", "").startswith("text/html"):
                assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", policy + ";"), path
                assert not EXTERNAL.search(response.content.decode()), path
            assert "no-store" in response["Cache-Control"], path
            assert response["Referrer-Policy"] == "same-origin"
            assert "camera=()" in response["Permissions-Policy"]
            assert response["X-Frame-Options"] == "DENY"

    def test_api_answers_are_never_stored(self, api_client_for, worker_a, person_a):
        response = api_client_for(worker_a).get("/api/v1/people")
        assert "no-store" in response["Cache-Control"]

    def test_no_inline_script_style_or_handler_in_any_template(self):
        from pathlib import Path

        root = Path(__file__).resolve().parents[1]
        inline = re.compile(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son[a-z]+="
        )
        found = []
        templates = [
            *root.glob("ibasho/templates/**/*.html"),
            *root.glob("ibasho/*/templates/**/*.html"),
        ]
        assert any(t.name == "base.html" for t in templates)  # the shared ones are walked too
        for template in templates:
            if "pdf" in str(template.relative_to(root)):
                continue  # rendered to PDF on the server, never served to a browser
            if inline.search(template.read_text()) and "csp_nonce" not in template.read_text():
                found.append(str(template.relative_to(root)))
        assert not found

    def test_swagger_ui_is_served_from_here(self, client):
        html = client.get("/api/v1/docs").content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def deploy_check(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    """`ibasho check --deploy` in a fresh process with these environment variables."""
    environment = {**os.environ, "IBASHO_DATA_DIR": str(tmp_path), "IBASHO_TESTING": "0", **env}
    # Browser tests allow async-unsafe calls in this process; a deployment never does.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name in ("DATABASE_URL", "IBASHO_PRODUCTION"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "ibasho", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(
        tmp_path,
        IBASHO_PRODUCTION="1",
        IBASHO_SECRET_KEY=secrets.token_urlsafe(60),
        IBASHO_ALLOWED_HOSTS="ibasho.example.jp",
        # In production the field keys come from the secret store, never from the data folder.
        IBASHO_FIELD_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "no issues" in result.stdout


def test_the_deploy_check_warns_without_production_settings(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode != 0 and "security.W004" in result.stderr


def database_down() -> mock._patch:  # type: ignore[type-arg]
    """Every query fails as if the server had gone (a closed port gives the same error)."""
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    )


class TestOutage:
    def test_the_api_answers_json_503_then_recovers(self, worker_a, person_a):
        from ibasho.accounts.models import ApiToken

        _, raw = ApiToken.issue(worker_a)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
        with database_down():
            response = client.get("/api/v1/people")
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] and "detail" in response.json()
        assert client.get("/api/v1/people").status_code == 200

    def test_the_web_shows_a_bilingual_503_then_recovers(self, client_for, worker_a):
        client = client_for(worker_a)
        client.raise_request_exception = False
        with database_down():
            response = client.get(reverse("people:person_list"))
        html = response.content.decode()
        assert response.status_code == 503 and response["Retry-After"]
        assert "一時的に利用できません" in html and "Temporarily unavailable" in html
        assert client.get(reverse("people:person_list")).status_code == 200

    def test_other_errors_stay_500(self, client_for, worker_a):
        client = Client(raise_request_exception=False)
        with mock.patch("ibasho.accounts.views.redirect", side_effect=RuntimeError("boom")):
            client.force_login(worker_a.user)
            response = client.get(reverse("home"))
        assert response.status_code == 500


class TestLogs:
    def test_query_strings_are_cut_from_request_lines(self):
        record = logging.LogRecord(
            "django.server",
            logging.INFO,
            "",
            0,
            '"%s" %s %s',
            ("GET /people/?q=山田 HTTP/1.1", "200", "5"),
            None,
        )
        NoQueryStrings().filter(record)
        assert "山田" not in record.getMessage() and "/people/" in record.getMessage()

    def test_gunicorn_logs_the_path_without_query_or_referrer(self):
        from ibasho.ops.management.commands.serve import ACCESS_LOG_FORMAT, gunicorn_command

        assert "%(U)s" in ACCESS_LOG_FORMAT
        assert "%(r)s" not in ACCESS_LOG_FORMAT and "%(q)s" not in ACCESS_LOG_FORMAT
        assert "%(f)s" not in ACCESS_LOG_FORMAT
        assert ACCESS_LOG_FORMAT in gunicorn_command("127.0.0.1:1", 1, 1)
