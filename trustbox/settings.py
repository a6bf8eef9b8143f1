"""Trust Box settings: one file, driven by environment variables with safe defaults.

Every variable is prefixed ``TRUSTBOX_`` except ``DATABASE_URL``. The defaults
give a production-safe install on SQLite under one data directory; the demo and
the tests set only what they need (see ``scripts/``).
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"TRUSTBOX_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var"))).resolve()
# The database and the secret key live here: for the owner only.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():
    DATA_DIR.chmod(0o700)


def _key(name: str, file_name: str, random_bytes: int) -> str:
    """TRUSTBOX_<name>, or a random key kept in the data directory.

    The data directory's keys are for the demo, the tests and the operator commands of a
    development checkout. In production (TRUSTBOX_HTTPS on) both keys must come from the
    environment: the server refuses to start without them (trustbox/core/production.py), so
    that they are neither in the data folder nor in a backup of it (docs/deploy.md, section 5).
    """
    if key := env(name):
        return key
    path = DATA_DIR / file_name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(random_bytes))
    return path.read_text().strip()


SECRET_KEY = _key("SECRET_KEY", "secret_key", 50)
SECRET_KEY_FROM_ENVIRONMENT = bool(env("SECRET_KEY"))
# The authenticators' TOTP secrets are sealed under it (trustbox/accounts/authenticators.py).
AUTHENTICATOR_KEY = _key("OTP_KEY", "otp_key", 32)
AUTHENTICATOR_KEY_FROM_ENVIRONMENT = bool(env("OTP_KEY"))
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Before django.contrib.auth, so that its changepassword command replaces Django's.
    "trustbox.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "trustbox.core",
    "trustbox.metrics",
    "trustbox.demo",
    "trustbox.schools",
    "trustbox.audit",
    "trustbox.commission",
    "trustbox.seal",
    "trustbox.box",
    "trustbox.openings",
    "trustbox.registry",
    "trustbox.public",
    "trustbox.meetings",
    "trustbox.retention",
    "trustbox.reports",
    "trustbox.compliance",
]

MIDDLEWARE = [
    # First, so that it times the whole answer: counts by route group and status class only.
    "trustbox.metrics.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed (static files come compressed from WhiteNoise, above). BREACH, which
    # reads a secret from the size of compressed responses that also reflect the attacker's
    # guesses, finds nothing to read here: Django masks the CSRF token afresh in every response
    # and pads every gzip response with random bytes ("Heal the Breach"); the public pages'
    # own secrets (a receipt code, a writer's text sent back on an error) appear only in the
    # answer to the writer's own POST, which another site cannot send (CSRF) nor repeat; and
    # staff pages need the session cookie, which another site's background requests, the
    # many that such an attack needs, do not carry (SameSite).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trustbox.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "trustbox.urls"
WSGI_APPLICATION = "trustbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trustbox.core.context_processors.languages",
                "trustbox.core.context_processors.permissions",
            ],
        },
    },
]

# Whole-form errors are said once, above the form (trustbox/core/templates/form_errors.html).
FORM_RENDERER = "trustbox.lib.forms.FormRenderer"

# Database: SQLite in WAL mode under the data directory, or DATABASE_URL.
SQLITE_PATH = DATA_DIR / "trustbox.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # IMMEDIATE makes every write transaction take the lock up front, so two
                # writers extending the same hash chain are serialised instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # synchronous=FULL syncs the write-ahead log at every commit: a receipt shown is
                # on the disk (NORMAL may lose the last commits to a power cut). Its cost:
                # docs/performance.md, "Durability".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
                ),
            },
            # Tests run on a file too, so that they can search it (and its WAL) for secrets.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Wrong passwords are counted per account, in memory (trustbox/accounts/throttle.py): after
# this many in a window of so many minutes, the login takes the password only together with
# the authenticator code, and the password prompts of a signed-in person pause. No address
# is looked at, so none is stored.
PASSWORD_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
PASSWORD_COOLOFF_MINUTES = int(env("LOGIN_COOLOFF_MINUTES", "15"))
# Wrong authenticator codes typed with the right password, per account, in the same window:
# after this many every code of that account is refused until the window ends.
CODE_FAILURE_LIMIT = int(env("CODE_FAILURE_LIMIT", "5"))
# Silenced for a reason: security.W021 — HSTS preloading binds the whole registered domain
# (e.g. a ministry's) and is hard to undo: for the domain's owner to decide, not for one app.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

OTP_TOTP_ISSUER = env("OTP_ISSUER", "Trust Box")
OTP_TOTP_THROTTLE_FACTOR = 1
REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", True)

# Cookies and transport. Behind HTTPS (the default) cookies are Secure and HSTS is on;
# TRUSTBOX_HTTPS=0 is for the local demo on http://localhost only.
HTTPS = env_bool("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" under no-referrer, which fails CSRF.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# How many proxies of ours each append to X-Forwarded-For: the client is that many entries
# from the right (the entries further left come from the client and may be forged).
PROXY_HOPS = int(env("PROXY_HOPS", "1"))
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy redirects http:// itself; this catches a request that reached us otherwise.
    SECURE_SSL_REDIRECT = HTTPS

# Strict Content Security Policy: nothing inline, nothing from third parties.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Languages: Kyrgyz first and by default, then Russian and English.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "trustbox_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "trustbox" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Bishkek")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "trustbox.lib.staticstorage.HashedOnceCollectedStorage"},
}
WHITENOISE_USE_FINDERS = True

# The cache holds the abuse limits: in memory only, never on disk
# (trustbox/lib/limits.py; a system check refuses a file or database cache). Each process
# keeps its own: limits count per process.
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "trustbox",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Several app processes or machines share one in-memory cache: Redis without persistence
# (docs/deploy.md), e.g. unix:///run/redis-trustbox/redis.sock or redis://10.0.0.5:6379/0.
if redis_url := env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
    }

# The box. Uploads stay in memory (never a temporary file); the handler enforces the limits.
FILE_UPLOAD_HANDLERS = ["trustbox.box.uploads.MemoryOnlyUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # form fields other than files
# Reserve parts of the box key printed for the safe; always fewer than the members needed
# to open the box, so fewer are printed for a small commission (3 members: 1 part).
RESERVE_SHARES = int(env("RESERVE_SHARES", "2"))
# An opening (or a renewal gathering) not finished within this many hours expires, and the
# parts gathered for it are wiped.
OPENING_HOURS = int(env("OPENING_HOURS", "4"))
# An opening takes out the appeals received before its own day (and the urgent and paper
# ones of that day): which opening took an appeal out then never tells whether its writer
# wrote before or after the opening (docs/security-chain.md, "The opening's cut-off"). On,
# it takes that day's appeals too: for the demo and for tests that fill and open the box at
# once, never for a school.
OPENING_TAKES_ITS_OWN_DAY = env_bool("OPENING_TAKES_ITS_OWN_DAY", False)
APPEALS_PER_CLIENT_HOUR = int(env("APPEALS_PER_CLIENT_HOUR", "60"))
APPEALS_PER_SCHOOL_HOUR = int(env("APPEALS_PER_SCHOOL_HOUR", "600"))
# Megapixels a client's attached files may have decoded or rendered in an hour (a phone photo
# costs about 3, a PNG screenshot 3 to 4, a page of a PDF about 2).
UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR = int(env("UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR", "600"))
RECEIPT_TRIES_PER_CLIENT_HOUR = int(env("RECEIPT_TRIES_PER_CLIENT_HOUR", "20"))
RECEIPT_TRIES_PER_SCHOOL_HOUR = int(env("RECEIPT_TRIES_PER_SCHOOL_HOUR", "300"))
# Right or wrong, each look-up of a code costs an Argon2 derivation.
RECEIPT_LOOKUPS_PER_CLIENT_HOUR = int(env("RECEIPT_LOOKUPS_PER_CLIENT_HOUR", "100"))
KIOSK_IDLE_SECONDS = int(env("KIOSK_IDLE_SECONDS", "60"))
# The kiosk's receipt stays until the writer says they have written the code down, or this
# long without a touch (a visible countdown; any touch starts it again).
KIOSK_RECEIPT_SECONDS = int(env("KIOSK_RECEIPT_SECONDS", "300"))
HELPLINES = [
    ("111", "children"),
    ("102", "police"),
    ("103", "ambulance"),
    ("112", "unified"),
    ("117", "domestic_violence"),
]

# The registry (cl. 3.2; Law No. 67 on citizens' appeals): register within one working day of
# the opening; answer within 14 days ("calendar" days, or "working" days: weekends and
# Kyrgyz public holidays skipped). A deadline on a day off moves to the next working day.
REGISTER_WITHIN_WORKING_DAYS = int(env("REGISTER_WITHIN_WORKING_DAYS", "1"))
ANSWER_WITHIN_DAYS = int(env("ANSWER_WITHIN_DAYS", "14"))
ANSWER_DAYS_ARE = env("ANSWER_DAYS_ARE", "calendar")
URGENT_ANSWER_WITHIN_DAYS = int(env("URGENT_ANSWER_WITHIN_DAYS", "3"))
REMIND_DAYS_BEFORE = int(env("REMIND_DAYS_BEFORE", "2"))
# Days off and working days moved by a government decree, for installs configured by their
# environment (ISO dates, comma-separated); `python -m trustbox calendar` keeps them in the
# database instead (trustbox/schools/calendar.py).
EXTRA_DAYS_OFF = env_list("EXTRA_DAYS_OFF", "")
EXTRA_WORKING_DAYS = env_list("EXTRA_WORKING_DAYS", "")
REGISTRY_PAGE_SIZE = 50
# How long an official's unlocked registry stays open in their browser session.
REGISTRY_UNLOCK_SECONDS = int(env("REGISTRY_UNLOCK_SECONDS", str(4 * 3600)))

# Background work (report documents): Django's tasks API through the django-tasks backport,
# stored in the database; `python -m trustbox db_worker` runs them (README, "The worker").
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Analytics that leave the commission (the district's and the nation's views and exports) round
# every count to a multiple of ROUNDING_BASE, at most ROUNDING_BASE - 1 off (docs/privacy.md).
# Below 3 a count of 1 or 2 could be published as it is: 3 at least.
ROUNDING_BASE = max(3, int(env("ROUNDING_BASE", "3")))
# The health check (/health/, `python -m trustbox health`) fails when a job has waited longer,
# or the daily work or a backup last finished longer ago, than these.
HEALTH_JOB_WAIT_SECONDS = int(env("HEALTH_JOB_WAIT_SECONDS", "900"))
HEALTH_DAILY_HOURS = int(env("HEALTH_DAILY_HOURS", "26"))
HEALTH_BACKUP_HOURS = int(env("HEALTH_BACKUP_HOURS", "26"))
# Counters for Prometheus at /metrics (docs/deploy.md, "Counters"): from the machine itself, or
# from anywhere with this token as "Authorization: Bearer <token>". `serve` keeps its workers'
# counts in METRICS_DIR (emptied at each start).
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_DIR = DATA_DIR / "metrics"
# `backup` deletes the archives of its folder older than this many days (0: keeps them all).
BACKUP_KEEP_DAYS = int(env("BACKUP_KEEP_DAYS", "30"))
# How many years a closed case is kept before the commission destroys it by an act (retention
# app); urgent and referred cases, the journal of openings and the protocols keep the long one.
# A school's nomenclature of cases may set its own periods (the Retention periods page).
RETENTION_YEARS = int(env("RETENTION_YEARS", "5"))
RETENTION_YEARS_LONG = int(env("RETENTION_YEARS_LONG", "10"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "trustbox@localhost")

# Logging: to the console only. No formatter prints a client address or a time; the request
# logger is kept at ERROR so that request paths are not written on every 404; the development
# server logs requests of staff pages only (never the public box: when a writer came is secret).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "staff_requests_only": {"()": "trustbox.lib.logfilters.StaffRequestsOnly"},
        "public_failures_by_kind": {"()": "trustbox.lib.logfilters.PublicFailuresByKindOnly"},
    },
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["public_failures_by_kind"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR", "filters": ["public_failures_by_kind"]},
        "django.server": {"filters": ["staff_requests_only"], "level": "INFO", "propagate": True},
        # At DEBUG these libraries write out what they parse: photo metadata, PDF contents.
        "PIL": {"level": "WARNING"},
        "pypdf": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}
