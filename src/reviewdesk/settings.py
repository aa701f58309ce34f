"""reviewdesk settings: one module, read top to bottom, configured by environment variables.

The embedded default is SQLite + SqliteHuey under ./var so `make run` needs no other server;
DATABASE_URL and REDIS_URL switch to PostgreSQL and RedisHuey (docs/operations.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reviewdesk.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("REVIEWDESK_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite database and the SqliteHuey queue live here

# --- core -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
# Under pytest the test settings apply even when pytest is run directly rather than by `make test`.
TESTING = env_bool("REVIEWDESK_TESTING", default="pytest" in sys.modules)
_DEV_SECRET = "reviewdesk-insecure-development-key-change-me"  # noqa: S105 - dev-only default
SECRET_KEY = env_secret("SECRET_KEY") or _DEV_SECRET
if SECRET_KEY == _DEV_SECRET and not (
    DEBUG or TESTING or env_bool("REVIEWDESK_DEMO", default=True)
):
    raise ImproperlyConfigured("SECRET_KEY must be set outside development and demo mode")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "reviewdesk.core",
    "reviewdesk.shops",
    "reviewdesk.platforms",
    "reviewdesk.reviews",
    "reviewdesk.aftersales",
    "reviewdesk.logistics",
    "reviewdesk.cases",
    "reviewdesk.triage",
    "reviewdesk.ratings",
    "reviewdesk.replies",
    "reviewdesk.compensation",
    "reviewdesk.web",
    "reviewdesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "reviewdesk.urls"
WSGI_APPLICATION = "reviewdesk.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
_SQLITE_PATH = VAR_DIR / "reviewdesk.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions take the write
    # lock up front so two writers queue on the busy timeout instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# --- background work (Huey) -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", default=TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "reviewdesk",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "reviewdesk",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }

# --- auth -------------------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:case_queue"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- i18n and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored in UTC; shown and reasoned about in shop-local time (ARCHITECTURE "Time").
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")

# --- static -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- logging: no secrets, one line per event --------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}

# --- reviewdesk -------------------------------------------------------------------------------
# Key for encrypting platform secrets at rest (Fernet). Defaults to a key derived from SECRET_KEY
# so the demo works; production sets its own (docs/operations.md).
REVIEWDESK_FIELD_KEY = env_secret("REVIEWDESK_FIELD_KEY")
# Where `reviewdesk triage train` finds the labelled data by default.
REVIEWDESK_DATA_DIR = Path(
    env_str("REVIEWDESK_DATA_DIR", str(PROJECT_DIR.parent / "shared" / "data"))
)
# Per-shop triage deltas trained from agents' corrections (`reviewdesk triage train --shop`).
REVIEWDESK_TRIAGE_SHOP_MODELS_DIR = Path(
    env_str("REVIEWDESK_TRIAGE_SHOP_MODELS_DIR", str(VAR_DIR / "triage"))
)
# Optional LLM drafting (OpenAI-compatible chat completions); unset base URL = template engine only.
REVIEWDESK_LLM_BASE_URL = env_str("REVIEWDESK_LLM_BASE_URL", "").strip()
REVIEWDESK_LLM_API_KEY = env_secret("REVIEWDESK_LLM_API_KEY")
REVIEWDESK_LLM_MODEL = env_str("REVIEWDESK_LLM_MODEL", "gpt-4o-mini")
REVIEWDESK_LLM_TIMEOUT = env_int("REVIEWDESK_LLM_TIMEOUT", default=20)
# Seconds between simulator ticks while `make run` serves the demo shop; 0 turns it off.
REVIEWDESK_SIMULATOR_INTERVAL = env_int("REVIEWDESK_SIMULATOR_INTERVAL", default=8)

if TESTING:
    # Tests create many users; the slow hasher would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
