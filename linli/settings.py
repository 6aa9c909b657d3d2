"""The one settings module of linli, driven by environment variables that fail loudly."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LINLI_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but the usual spellings is an error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


LINLI_ENV = os.environ.get("LINLI_ENV", "development")
if LINLI_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"LINLI_ENV={LINLI_ENV!r} must be one of development, production, test"
    )
PRODUCTION = LINLI_ENV == "production"


def secret(name: str, *, generate: int = 0) -> str:
    """A secret from NAME, or from the file named by NAME_FILE.

    Outside production a missing secret is generated once into var/secrets/ so that
    `make run` needs no set-up; in production a missing secret stops the start-up.
    """
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value and file_name:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    if value:
        return value
    if PRODUCTION or not generate:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production")
    path = VAR_DIR / "secrets" / name.lower()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(generate), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = secret("LINLI_SECRET_KEY", generate=50)
# Master key for the encryption of sensitive fields and their keyed lookup hashes.
FIELD_ENCRYPTION_KEY = secret("LINLI_FIELD_KEY", generate=32)
# Key of the keyed hashes beside encrypted fields (exact look-up of ID numbers). Unlike the
# field key it is never rotated: every stored hash depends on it.
FIELD_LOOKUP_KEY = secret("LINLI_LOOKUP_KEY", generate=32)
# Earlier master keys, still accepted for decryption while rows are re-encrypted.
FIELD_ENCRYPTION_OLD_KEYS = env_list("LINLI_FIELD_OLD_KEYS", [])
if len(FIELD_ENCRYPTION_KEY) < 32:
    raise ImproperlyConfigured("LINLI_FIELD_KEY must be at least 32 characters long")
if len(FIELD_LOOKUP_KEY) < 32:
    raise ImproperlyConfigured("LINLI_LOOKUP_KEY must be at least 32 characters long")

DEBUG = env_bool("LINLI_DEBUG", default=False)
ALLOWED_HOSTS = env_list("LINLI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("LINLI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "linli.core",
    "linli.people",
    "linli.notices",
    "linli.appeals",
    "linli.meetings",
    "linli.ballots",
    "linli.evaluations",
    "linli.welfare",
    "linli.care",
    "linli.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "linli.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "linli.core.middleware.SecurityHeadersMiddleware",
    "linli.core.middleware.PreferencesMiddleware",
    "linli.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linli" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.dashboard.navigation.shell",
            ],
        },
    },
]


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'linli.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        # WAL lets the worker and the web server work side by side; IMMEDIATE avoids the
        # lock-upgrade deadlock between two writers.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env_int("LINLI_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        # Parameters bound by the server, so that repeated statements are prepared once per
        # connection instead of being parsed and planned on every request.
        config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL must name SQLite or PostgreSQL, not {engine or url!r}"
        )
    test_url = os.environ.get("LINLI_TEST_DATABASE_NAME")
    if test_url:
        config["TEST"] = {"NAME": test_url}
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login for a name that has failed too often (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "linli.core.auth.UsernameOrPhoneBackend",
]
# Login throttling: after 5 failures for one username (or phone) it is locked for 15 minutes.
# By name, not by address: a whole community office often shares one intranet address.
AXES_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LINLI_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Locking by name is deliberate (see above); axes warns that it ignores the address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "linli" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LINLI_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS: list[Path] = []
# Serve straight from the app folders unless `collectstatic` has been run for production.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("LINLI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Largest upload accepted for a residents' workbook.
IMPORT_MAX_BYTES = env_int("LINLI_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Largest attachment of a notice.
NOTICE_ATTACHMENT_MAX_BYTES = env_int(
    "LINLI_NOTICE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("LINLI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Appeals: contact with the resident within this many working hours; a resident who gives no
# verdict is asked again after half this many days and the appeal closes "without a verdict"
# after all of them; the weights of the three rates in the composite score.
APPEAL_CONTACT_HOURS = env_int("LINLI_APPEAL_CONTACT_HOURS", 2, minimum=1)
APPEAL_VERDICT_DAYS = env_int("LINLI_APPEAL_VERDICT_DAYS", 7, minimum=1)
# Care: after an event, a visit is due within these days.
CARE_EVENT_VISIT_DAYS = {
    "hospitalised": env_int("LINLI_CARE_HOSPITAL_VISIT_DAYS", 2, minimum=0),
    "bereaved": env_int("LINLI_CARE_BEREAVED_VISIT_DAYS", 3, minimum=0),
    "other": env_int("LINLI_CARE_OTHER_VISIT_DAYS", 7, minimum=0),
}
APPEAL_PHOTO_MAX_BYTES = env_int("LINLI_APPEAL_PHOTO_MAX_BYTES", 8 * 1024 * 1024, minimum=1024)
APPEAL_RATE_WEIGHTS = {"response": 30, "resolution": 35, "satisfaction": 35}

# Working hours for deadlines counted in working hours (e.g. "contact within 2 working hours").
WORKING_HOURS = [("08:30", "12:00"), ("13:30", "17:30")]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("LINLI_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LINLI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# A copy of a form POST (double click, reload) waits this long for the first to finish.
IDEMPOTENCY_WAIT_SECONDS = env_int("LINLI_IDEMPOTENCY_WAIT_SECONDS", 10)

# Objections filed without an account: per phone number and notice, and per notice and hour.
OBJECTIONS_PER_CONTACT = env_int("LINLI_OBJECTIONS_PER_CONTACT", 3)
ANONYMOUS_OBJECTIONS_PER_HOUR = env_int("LINLI_ANONYMOUS_OBJECTIONS_PER_HOUR", 30)
