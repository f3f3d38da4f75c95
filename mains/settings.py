"""Settings of mains, read from environment variables (see README: Configuration)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mains.env import envbool, envchoice, envcount, envint, envlist, envstr, envurlpath

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("MAINS_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
# The key of a developer's machine; a system check refuses it in production (mains.W002).
DEVELOPMENT_SECRET_KEY = "insecure-dev-key-change-me"
SECRET_KEY = envstr("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The utility's name printed in the header of notice boards.
BOARD_ORG_NAME = envstr("BOARD_ORG_NAME", "聊城水务集团")
# The name every page (title bar, residents' header, error pages) is branded with:
# the utility's, not the software's; the notice boards' name unless set.
SITE_NAME = envstr("SITE_NAME", BOARD_ORG_NAME)
HOTLINE_NUMBER = envstr("HOTLINE_NUMBER", "96568")
# The address residents reach mains at (printed in the QR codes of notice boards).
PUBLIC_BASE_URL = (envstr("PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "axes",
    "mains.org",
    "mains.areas",
    "mains.desk",
    "mains.demo",
    "mains.public",
    "mains.boards",
    "mains.outages",
    "mains.notify",
    "mains.kb",
    "mains.care",
    "mains.supervision",
    "mains.api",
    "mains.telemetry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Writes the request's unmasked views of personal data to the access log, once.
    "mains.org.access_log.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a locked log-in into the page that says so (mains.org.login_throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mains.urls"
WSGI_APPLICATION = "mains.wsgi.application"

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
                "mains.context.site",
            ],
        },
    },
]

DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    # Connections are kept for a minute and checked before each request reuses one, so the
    # first request after a database restart does not fail on a connection that died.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(DATA_DIR / "mains.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes refuses a locked log-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in throttling: a user name is locked after LOGIN_FAILURE_LIMIT failures, an address
# after LOGIN_FAILURE_LIMIT_PER_IP, each for LOGIN_COOLOFF_MINUTES after those failures.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_IP = envint("LOGIN_FAILURE_LIMIT_PER_IP", 20)
LOGIN_COOLOFF_MINUTES = envint("LOGIN_COOLOFF_MINUTES", 15)
# Whom a locked-out user should ask, shown on the lock page (e.g. "信息中心 0635-8888888").
LOGIN_HELP_CONTACT = envstr("LOGIN_HELP_CONTACT", "")
# Successful and failed log-ins recorded by axes are deleted after this many days.
LOGIN_LOG_RETENTION_DAYS = envint("LOGIN_LOG_RETENTION_DAYS", 180)
AXES_HANDLER = "mains.org.login_throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = max(1, LOGIN_FAILURE_LIMIT)
AXES_COOLOFF_TIME = timedelta(minutes=max(1, LOGIN_COOLOFF_MINUTES))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, in this order
AXES_CLIENT_IP_CALLABLE = "mains.org.login_throttle.login_client_ip"
AXES_LOCKOUT_CALLABLE = "mains.org.login_throttle.locked_out"
# Tries during a lock are not counted, so the lock ends when the page says it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = envstr("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Counts show with thousands separators where templates ask for them (|intcomma); see
# mains/formats/zh_Hans/formats.py. Not USE_THOUSAND_SEPARATOR: that would group ids too.
FORMAT_MODULE_PATH = ["mains.formats"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
# Which media are public is said in mains/lib/media.py. Private files (attachments, board
# batch PDFs) are handed to nginx's internal location at this path with X-Accel-Redirect;
# empty: Django streams them itself.
MEDIA_ACCEL_REDIRECT_PREFIX = envurlpath("MEDIA_ACCEL_REDIRECT_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 8 * 1024 * 1024)
# Photos and files of orders closed or cancelled this many days ago are deleted each night
# (a note stays in the order's history); 0 keeps them forever. A year covers the callback,
# a reopened fault's next season and the annual review of units; evidence needed longer
# (a damage claim) belongs in the utility's case file, not on the order (PIPL art. 19).
ATTACHMENT_RETENTION_DAYS = envcount("ATTACHMENT_RETENTION_DAYS", 365)
# Meter readings: Parquet files partitioned by day (see docs/telemetry.md).
TELEMETRY_DIR = DATA_DIR / "telemetry"
# Day partitions older than this many days are dropped each night; 0 keeps them forever.
TELEMETRY_RETENTION_DAYS = envint("TELEMETRY_RETENTION_DAYS", 730)
# A special-group household using less or more than this in a day gets a welfare visit.
TELEMETRY_HOUSEHOLD_LOW_LITRES = envint("TELEMETRY_HOUSEHOLD_LOW_LITRES", 10)
TELEMETRY_HOUSEHOLD_HIGH_LITRES = envint("TELEMETRY_HOUSEHOLD_HIGH_LITRES", 1000)

# Days the access log of personal data is kept (PIPL practice: three years); at least 180
# (Cybersecurity Law), 0 keeps it forever. Older entries are deleted each night.
ACCESS_LOG_RETENTION_DAYS = envint("ACCESS_LOG_RETENTION_DAYS", 1095)

# HTTPS (README: Production checklist). Off by default for a developer's plain HTTP.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envcount("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Behind nginx, the request is HTTPS when nginx says so (proxy_set_header X-Forwarded-Proto).
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = envchoice(
    "SECURE_REFERRER_POLICY",
    "same-origin",
    (
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ),
)
X_FRAME_OPTIONS = envchoice("X_FRAME_OPTIONS", "DENY", ("DENY", "SAMEORIGIN"))
# Not configurable: no page's script reads the session or CSRF cookie.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True

REDIS_URL = envstr("REDIS_URL", "")
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "mains",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "mains",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# Without Redis the cache is per process: nothing that must be shared lives in it.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Where the residents' pages count hits: "database" (a table every process shares, exact
# under concurrency) or "cache" (Django's cache: shared and atomic only on Redis/memcached).
RATE_LIMIT_STORE = envstr("RATE_LIMIT_STORE", "cache" if REDIS_URL else "database")
# Residents' pages (/c/<id>/, /track/): limits per fixed window.
PUBLIC_REPORTS_PER_HOUR_PER_IP = envint("PUBLIC_REPORTS_PER_HOUR_PER_IP", 5)
PUBLIC_REPORTS_PER_DAY_PER_PHONE = envint("PUBLIC_REPORTS_PER_DAY_PER_PHONE", 3)
PUBLIC_LOOKUPS_PER_HOUR_PER_IP = envint("PUBLIC_LOOKUPS_PER_HOUR_PER_IP", 30)
# Wrong number-and-digits look-ups hold back the guesser (address, session), never an order.
PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_IP = envint("PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_IP", 10)
PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_SESSION = envint("PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_SESSION", 5)
# More wrong look-ups than this in an hour, from everywhere together, log a warning (0: never).
PUBLIC_FAILED_LOOKUPS_ALARM_PER_HOUR = envint("PUBLIC_FAILED_LOOKUPS_ALARM_PER_HOUR", 100)
# Behind a reverse proxy, count the address it appends to X-Forwarded-For, not its own.
PUBLIC_TRUST_X_FORWARDED_FOR = envbool("PUBLIC_TRUST_X_FORWARDED_FOR", False)

# Notifications: a backend per channel (console, file, smtp, sms_http, wecom_webhook).
NOTIFY_BACKENDS = {
    "sms": envstr("NOTIFY_SMS_BACKEND", "file"),
    "email": envstr("NOTIFY_EMAIL_BACKEND", "file"),
    "wecom": envstr("NOTIFY_WECOM_BACKEND", "file"),
}
NOTIFY_FILE_DIR = envstr("NOTIFY_FILE_DIR", str(DATA_DIR / "outbox"))
NOTIFY_TIMEOUT_SECONDS = envint("NOTIFY_TIMEOUT_SECONDS", 10)
NOTIFY_SMTP_HOST = envstr("NOTIFY_SMTP_HOST", "")
NOTIFY_SMTP_PORT = envint("NOTIFY_SMTP_PORT", 25)
NOTIFY_SMTP_USER = envstr("NOTIFY_SMTP_USER", "")
NOTIFY_SMTP_PASSWORD = envstr("NOTIFY_SMTP_PASSWORD", "")
NOTIFY_SMTP_USE_TLS = envbool("NOTIFY_SMTP_USE_TLS", False)
NOTIFY_SMTP_FROM = envstr("NOTIFY_SMTP_FROM", "mains@localhost")
NOTIFY_SMS_URL = envstr("NOTIFY_SMS_URL", "")
NOTIFY_SMS_TOKEN = envstr("NOTIFY_SMS_TOKEN", "")
NOTIFY_SMS_TOKEN_HEADER = envstr("NOTIFY_SMS_TOKEN_HEADER", "X-Api-Token")
NOTIFY_SMS_SIGN = envstr("NOTIFY_SMS_SIGN", "水务热线")
NOTIFY_WECOM_WEBHOOK_URL = envstr("NOTIFY_WECOM_WEBHOOK_URL", "")

# Work-order behaviour.
AUTO_DISPATCH = envbool("AUTO_DISPATCH", True)
SLA_WARNING_RATIO = envint("SLA_WARNING_PERCENT", 80) / 100
REDO_ESCALATION_THRESHOLD = envint("REDO_ESCALATION_THRESHOLD", 3)
# An order this long past its deadline is escalated by the SLA clock.
ESCALATE_AFTER_OVERDUE = timedelta(minutes=envint("ESCALATE_AFTER_OVERDUE_MINUTES", 60))
# Days the utility has to answer a social supervisor's observation.
SUPERVISION_ANSWER_DAYS = envint("SUPERVISION_ANSWER_DAYS", 5)
# Variables mains no longer reads but an operator may still set (system check public.W002).
RETIRED_VARIABLES = [
    name for name in ("PUBLIC_FAILED_LOOKUPS_PER_DAY_PER_NUMBER",) if envstr(name, "")
]
# How often the dispatch board asks for new orders, in seconds, while in view; 0: never.
BOARD_POLL_SECONDS = envcount("BOARD_POLL_SECONDS", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
