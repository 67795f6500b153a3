"""One settings file, driven by environment variables (see docs/operations.md)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Where the embedded database, generated secrets and uploads live on a laptop install.
DATA_DIR = Path(os.environ.get("IBASHO_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("IBASHO_DEBUG")
TESTING = env_bool("IBASHO_TESTING") or "pytest" in sys.modules

from ibasho.lib.secrets import field_keys, secret_key  # noqa: E402

SECRET_KEY = secret_key(DATA_DIR)
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
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ibasho.accounts",
    "ibasho.audit",
    "ibasho.people",
    "ibasho.outreach",
    "ibasho.programmes",
    "ibasho.families",
    "ibasho.outcomes",
    "ibasho.imports",
    "ibasho.reports",
    "ibasho.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ibasho.accounts.middleware.ActiveMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env_bool("IBASHO_QUERY_COUNT_HEADER"):
    MIDDLEWARE.insert(0, "ibasho.lib.querycount.QueryCountMiddleware")

ROOT_URLCONF = "ibasho.urls"
WSGI_APPLICATION = "ibasho.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ibasho.accounts.context_processors.membership",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ibasho.sqlite3'}")
# Tests close connections after each request so live-server threads leave none behind.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
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
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username+address pair out for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = not TESTING

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("IBASHO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ibasho" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IBASHO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The number of rows shown per page in lists.
PAGE_SIZE = 50

# Contacts, questionnaires and other records dated before 1 January of this year are refused.
EARLIEST_RECORD_YEAR = int(os.environ.get("IBASHO_EARLIEST_RECORD_YEAR", "1980"))
