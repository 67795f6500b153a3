"""One settings file, driven by environment variables (see docs/operations.md)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Templates, static files and translations ship inside the package, so that an install from
# the wheel serves the same pages as a checkout.
PACKAGE_DIR = Path(__file__).resolve().parent
# Where the embedded database, generated secrets and uploads live on a laptop install.
DATA_DIR = Path(os.environ.get("IBASHO_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("IBASHO_DEBUG")
TESTING = env_bool("IBASHO_TESTING") or "pytest" in sys.modules

from ibasho.lib.secrets import field_keys, field_keys_file, private_file, secret_key  # noqa: E402

SECRET_KEY = secret_key(DATA_DIR)
# From IBASHO_FIELD_KEYS, or the file IBASHO_FIELD_KEYS_FILE names (outside the data directory
# in production: `check --deploy` says so), or one generated in the data directory on a laptop.
FIELD_KEYS_FILE = field_keys_file(DATA_DIR)
FIELD_ENCRYPTION_KEYS = field_keys(DATA_DIR)

ALLOWED_HOSTS = env_list("IBASHO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("IBASHO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ibasho.lib.admin.IbashoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, found by the project's renderer below
    "axes",
    "csp",
    "ninja",  # its vendored Swagger UI, served from here rather than a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ibasho.accounts",
    "ibasho.audit",
    "ibasho.notifications",
    "ibasho.people",
    "ibasho.provisions",
    "ibasho.outreach",
    "ibasho.programmes",
    "ibasho.families",
    "ibasho.outcomes",
    "ibasho.imports",
    "ibasho.lifecycle",
    "ibasho.exchange",
    "ibasho.meetings",
    "ibasho.referrals",
    "ibasho.reports",
    "ibasho.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ibasho.lib.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ibasho.accounts.middleware.ActiveMembershipMiddleware",
    "ibasho.accounts.middleware.AccountGateMiddleware",
    "ibasho.notifications.middleware.UnreadCountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env_bool("IBASHO_QUERY_COUNT_HEADER"):
    MIDDLEWARE.insert(0, "ibasho.lib.querycount.QueryCountMiddleware")

ROOT_URLCONF = "ibasho.urls"
# Widgets render through the project's templates, so one override changes every form: the
# blank choice of a select reads "Choose…" (選択してください), not "---------".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "ibasho.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ibasho.accounts.context_processors.membership",
                "ibasho.notifications.context_processors.unread",
                "csp.context_processors.nonce",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ibasho.sqlite3'}")
# Tests close connections after each request so live-server threads leave none behind.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_file(Path(DATABASES["default"]["NAME"]))  # 0600 in a 0700 folder
    # WAL lets readers and one writer work at once; IMMEDIATE avoids mid-transaction lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    MIDDLEWARE.insert(0, "ibasho.lib.sqlite_writes.SerialisedWritesMiddleware")
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "IBASHO_PG_PREPARED_STATEMENTS", default=True
):
    # Parameters sent apart from the query text let psycopg prepare a statement the fifth time
    # a connection runs it, so the requests' fixed queries are planned once per connection.
    # Off for a pooler that cannot carry prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# Queries a page needs at once are sent in one pipeline (ibasho.lib.prepared.together): one
# round trip instead of one each. Off sends them one after the other, as SQLite always does.
PG_PIPELINE = env_bool("IBASHO_PG_PIPELINE", default=True)
if os.environ.get("REPLICA_DATABASE_URL"):
    # Reports read from here inside ibasho.lib.replica.reading_from_replica().
    DATABASES["replica"] = dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ibasho.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ("username", "display_name", "first_name", "last_name", "email")
        },
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with a statement compiled once.
    "ibasho.accounts.sessions.PreparedModelBackend",
]
# An account is locked after 5 failures from anywhere, an address after 20 failures on any
# accounts (one password sprayed across many); each lock lasts longer than the one before
# (ibasho.accounts.lockout). Behind a proxy the address is the client's (IBASHO_TRUSTED_PROXIES).
IBASHO_LOCK_ACCOUNT_AFTER = int(os.environ.get("IBASHO_LOCK_ACCOUNT_AFTER", "5"))
IBASHO_LOCK_ADDRESS_AFTER = int(os.environ.get("IBASHO_LOCK_ADDRESS_AFTER", "20"))
AXES_FAILURE_LIMIT = IBASHO_LOCK_ACCOUNT_AFTER
AXES_COOLOFF_TIME = "ibasho.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "ibasho.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "ibasho.accounts.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not TESTING
# Axes would lock by address too; behind a shared office NAT that locks colleagues out, so the
# address limit is ibasho.accounts.lockout's own (it refuses the address, not the accounts).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Proxies whose X-Forwarded-For is believed (addresses or networks); nobody else's is.
IBASHO_TRUSTED_PROXIES = env_list("IBASHO_TRUSTED_PROXIES")

# Second factor (django-otp): admins and coordinators always, everyone where the organisation
# says so; this many sign-ins are allowed before enrolment is enforced.
IBASHO_SECOND_FACTOR_GRACE_LOGINS = int(os.environ.get("IBASHO_SECOND_FACTOR_GRACE_LOGINS", "3"))
OTP_TOTP_ISSUER = "Ibasho"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end at browser close, after the organisation's idle timeout and in any case after
# IBASHO_SESSION_HOURS (ibasho.accounts.middleware.AccountGateMiddleware).
SESSION_ABSOLUTE_SECONDS = int(float(os.environ.get("IBASHO_SESSION_HOURS", "12")) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Django's database sessions, read with a statement compiled once per process.
SESSION_ENGINE = "ibasho.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# An installation-wide ceiling on every organisation's idle timeout (unset: the organisation's).
IBASHO_IDLE_TIMEOUT_SECONDS = int(os.environ.get("IBASHO_IDLE_TIMEOUT_SECONDS", "0")) or None
SESSION_COOKIE_HTTPONLY = True
PRODUCTION = env_bool("IBASHO_PRODUCTION")
SESSION_COOKIE_SECURE = env_bool("IBASHO_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS: on in production (IBASHO_PRODUCTION=1), each switchable on its own.
SECURE_SSL_REDIRECT = env_bool("IBASHO_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(
    os.environ.get("IBASHO_HSTS_SECONDS", str(60 * 60 * 24 * 365 if PRODUCTION else 0))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("IBASHO_HSTS_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("IBASHO_HSTS_PRELOAD", default=PRODUCTION)
if env_bool("IBASHO_BEHIND_TLS_PROXY", default=PRODUCTION):
    # The proxy terminates TLS and says so; it must overwrite this header from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)

# No inline script or style anywhere: static files, or a nonce ({{ request.csp_nonce }}).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_BACKEND = os.environ.get(
    "IBASHO_EMAIL_BACKEND",
    # SMTP in production or once a mail host is set; the console in a demo and in tests.
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or os.environ.get("IBASHO_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("IBASHO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("IBASHO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("IBASHO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("IBASHO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("IBASHO_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("IBASHO_EMAIL_FROM", "ibasho@localhost")
# A reset link works once, for this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# One date and time format per language (ibasho/lib/formats): 2026年12月2日 7:18 / 2 Dec 2026 07:18.
FORMAT_MODULE_PATH = ["ibasho.lib.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Archives of a whole organisation written from the web (only the newest is kept).
IBASHO_EXPORT_DIR = Path(os.environ.get("IBASHO_EXPORT_DIR", DATA_DIR / "exports"))
STATIC_ROOT = Path(os.environ.get("IBASHO_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # served from here once collected
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_bool("IBASHO_TASKS_INLINE")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": ["console"], "level": os.environ.get("IBASHO_LOG_LEVEL", "INFO")},
    "filters": {"no_query": {"()": "ibasho.lib.logs.NoQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query"]}},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Links in e-mails (notifications, password resets) point at this address. Notification
# e-mails carry the kind of notification and a link, nothing else.
IBASHO_BASE_URL = os.environ.get("IBASHO_BASE_URL", "http://localhost:8000")

# How long opening a restricted record by breaking the glass lasts (hours).
IBASHO_BREAK_GLASS_HOURS = int(os.environ.get("IBASHO_BREAK_GLASS_HOURS", "8"))

# The analyst's evidence home keeps the reports it shows this many seconds (per server
# process, in Django's cache): its figures are at most this old. Report pages are always fresh.
REPORTS_HOME_CACHE_SECONDS = int(os.environ.get("IBASHO_REPORTS_HOME_CACHE_SECONDS", "300"))

# The number of rows shown per page in lists.
PAGE_SIZE = 50

# Contacts, questionnaires and other records dated before 1 January of this year are refused.
EARLIEST_RECORD_YEAR = int(os.environ.get("IBASHO_EARLIEST_RECORD_YEAR", "1980"))
# Days from a breach's discovery to the PPC preliminary report (速報, "promptly": 3–5 days).
IBASHO_BREACH_PRELIMINARY_DAYS = int(os.environ.get("IBASHO_BREACH_PRELIMINARY_DAYS", "3"))

# Provision and receipt records (APPI 第三者提供の記録) are kept this many years after their date
# and after the shredding of the person's records, whichever is later (at least 3).
IBASHO_PROVISION_RECORD_YEARS = int(os.environ.get("IBASHO_PROVISION_RECORD_YEARS", "3"))
# A support meeting's minutes (非公開) are emptied this many years after the meeting.
IBASHO_MEETING_MINUTES_YEARS = int(os.environ.get("IBASHO_MEETING_MINUTES_YEARS", "5"))
