"""Settings, all from the environment (see .env.example), and in development
from the git-ignored .env that `make` writes: real variables win."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from .env import (
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_secret,
    env_site_url,
    env_str,
    read_dotenv,
)

BASE_DIR = Path(__file__).resolve().parent.parent
read_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Every absolute URL (robots.txt, sitemaps, feeds, citations, the API's links)
# starts with it, never with the Host header: a cached page would otherwise
# carry whatever host and port one reader sent to everyone after them.
SITE_URL = env_site_url("SITE_URL", DEBUG)
# Proxies whose X-Forwarded-For is believed (addresses or networks); from
# anyone else the peer address is the client (tracker/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    # django.contrib.admin, with the admin site that asks for a second factor.
    "tracker.security.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "prisoners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside Django's CSP middleware: picks the admin's and API docs' policy.
    "tracker.security.ScopedContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before the page cache, whose key holds the language it sets.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After the session middleware: readers with a session (staff) skip it.
    "prisoners.public.cache.AnonymousPageCacheMiddleware",
    # A page that reads several stored figures checks them once.
    "prisoners.public.cache.CheckedOnceMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Once the user is known: the admin in the user's language, not the URL's.
    "tracker.admin_language.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for <html lang>.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # SITE_URL, for the citation line of every page.
                "prisoners.public.citation.site_url",
            ],
        },
    },
    {
        # The rows of the long public lists (#22; the `jinja2` tag of
        # prisoners/templatetags/public.py): Jinja2 renders them in a fraction
        # of the time. They hold no text to translate: the page passes its
        # translated labels in.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long anonymous pages are cached; 0 turns the page cache off.
CACHE_SECONDS = env_int("CACHE_SECONDS", 60)
# How long a list may spend counting its facets (PostgreSQL); those not
# counted by then are shown without counts. 0: no limit.
FACET_TIME_LIMIT_MS = env_int("FACET_TIME_LIMIT_MS", 250)
# Anonymous API clients; None (from "off") lifts the limit.
API_THROTTLE_RATE = env_rate("API_THROTTLE_RATE", "60/minute")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Political Prisoner Tracker API",
    "DESCRIPTION": (
        "Read-only data on political prisoners, group releases and sanctions: published "
        "records only. Filters are those of the HTML pages; dates are inclusive YYYY-MM-DD."
    ),
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English at the contract URLs, the others under /be/ and /ru/ (tracker/urls.py).
LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django has no Belarusian formats: ours (dates, thousands).
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Uploads to the admin's import: refused beyond this size, kept (between the
# preview and the confirmation, at most a day) in IMPORT_DIR, a directory
# only this user may read. The command line takes files of any size.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 50)
IMPORT_DIR = Path(env_str("IMPORT_DIR") or BASE_DIR / "var" / "imports")

# Background tasks (django.tasks): the admin's long imports run as tasks.
# The database backend (django-tasks-db) needs nothing beyond the database;
# its worker is `manage.py db_worker` (`make run` starts one beside the
# server). A larger site may use Redis instead (README, "Production").
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # Redis through RQ (pip install django-tasks-rq): its queue on REDIS_URL,
    # its worker `manage.py rqworker --job-class django_tasks_rq.Job default`.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# An import of fewer rows than this still runs at once, in the request.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
# An upload beyond 2.5 MB goes to a temporary file (mode 0600, removed when
# the request ends) rather than memory; a request's other fields, which
# never carry a file, may not exceed 2.5 MB (Django's defaults, said here).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs collectstatic, which development and tests skip.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Only staff have sessions: closing the browser logs them out too.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Public pages carry no inline script or style and load nothing from
# elsewhere. tracker.security scopes a looser policy to /admin/ and /api/docs/.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Staff login. A second factor (authenticator app or recovery code, see
# `manage.py add_totp_device`) is required in production.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Political Prisoner Tracker"
# The admin never shows a TOTP secret: only add_totp_device prints it, once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTHENTICATION_BACKENDS = [
    "tracker.two_factor.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins lock out one account from one address, for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.security.lockout_response"
# The same address the API's rate limit counts by.
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"

if not DEBUG:
    # Production sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
