"""qingnong settings: one file, read from the environment (see .env.example)."""
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from dotenv import load_dotenv
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Under pytest: dev secret allowed, plain static storage (no collectstatic needed).
TESTING = env_bool("QINGNONG_TESTING", "pytest" in sys.modules)
# A development checkout: `make demo` writes a git-ignored .env (DEBUG=1, a generated
# SECRET_KEY), so the checkout's own commands work without exporting anything. Variables
# already set win; production has no .env and must set SECRET_KEY itself. Tests ignore it.
DOTENV = PROJECT_DIR / ".env"
if not TESTING and DOTENV.is_file():
    load_dotenv(DOTENV, override=False)

DEBUG = env_bool("DEBUG", False)

# SQLite file, uploads and collected static files live here unless told otherwise.
DATA_DIR = Path(os.environ.get("QINGNONG_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        # Never a fallback key in production: fail loudly instead.
        raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量提供 SECRET_KEY。")
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "qingnong.lib",
    "qingnong.org",
    "qingnong.accounts",
    "qingnong.audit",
    "qingnong.ledger",
    "qingnong.campaign",
    "qingnong.wechat",
    "qingnong.reports",
    "qingnong.inspection",
    "qingnong.portal",
    "qingnong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "qingnong.lib.upload_limit.UploadLimitMiddleware",  # before anything reads request.POST
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qingnong.accounts.middleware.IdleTimeoutMiddleware",
    "qingnong.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qingnong.urls"
WSGI_APPLICATION = "qingnong.wsgi.application"

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
            ],
        },
    },
]

# SQLite file by default (zero set-up demo); PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'qingnong.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a kept connection the database dropped (a restart) is replaced, not reused
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "qingnong.accounts.backends.UsernameOrMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "qingnong.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},  # Chinese message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username from one address after repeated failures. Offices
# share one NAT address, so locking by address alone would lock out a whole county.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "qingnong.lib.http.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "qingnong.accounts.backends.axes_username"
# Behind a reverse proxy, trust its X-Forwarded-For for the audit log's IP column.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
# The benchmark pins "today" to its synthetic data's last day (bench/run.py), so a run
# measures the same paths on any calendar day. Never set in production.
PINNED_TODAY = os.environ.get("QINGNONG_TODAY", "")
USE_I18N = True
USE_TZ = True

# WeChat and WeCom (issue 14). The platforms' base URLs are settings: a government intranet
# reaches them through a relay, and the tests through a fake server on 127.0.0.1.
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com/")
WECOM_API_BASE = os.environ.get("WECOM_API_BASE", "https://qyapi.weixin.qq.com/")
WECHAT_TIMEOUT = float(os.environ.get("WECHAT_TIMEOUT", "10"))
# Keys that seal secrets kept in the database (qingnong.lib.secrets); empty: SECRET_KEY.
QINGNONG_FIELD_KEYS = env_list("QINGNONG_FIELD_KEYS")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"

# Uploads (qingnong/lib/upload_limit.py): a body over the limit is refused with 413 before
# Django reads it; the forms then check their own limits (Excel import 10 MB, photo 8 MB).
# 12 MB = the 10 MB import plus room for multipart framing and the other fields.
QINGNONG_MAX_REQUEST_BYTES = int(os.environ.get("QINGNONG_MAX_REQUEST_BYTES", 12 * 1024 * 1024))
# Photo forms take several phone photos of up to 8 MB in one POST (an activity 9, an
# inspection up to 20), so 12 MB would refuse ordinary uploads there.
QINGNONG_MAX_PHOTO_REQUEST_BYTES = int(os.environ.get("QINGNONG_MAX_PHOTO_REQUEST_BYTES", (20 * 8 + 2) * 1024 * 1024))
QINGNONG_MAX_REQUEST_BYTES_BY_URL = {
    name: QINGNONG_MAX_PHOTO_REQUEST_BYTES
    for name in ("ledger:activity-create", "ledger:activity-edit", "inspection:photo-add")
}
# First handler only counts: it stops a body without (or with an understated) Content-Length
# at the limit; the next two are Django's defaults and store the files.
FILE_UPLOAD_HANDLERS = [
    "qingnong.lib.upload_limit.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Django's defaults, stated so nobody raises them in passing: the non-file fields of a form may
# take 2.5 MB of memory (more is a 400); a file above 2.5 MB goes to a temporary file instead
# of memory (an Excel form is a few dozen KB; larger photos spill to disk, bounded by the above).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Not Django's 1,000: the weekly grid posts ≈ 15–16 fields per group and shows up to 500 groups
# (ledger.views.groups.WEEKLY_PAGE); a township with 66 groups already went over (the 50-user
# load, bench/load.py) and its save was a 400. A test keeps this above a full grid.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 12_000

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # the longest a sign-in lasts
# Signed out after this long without a request (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts run, no inline script or handler
# (static/js/behaviours.js carries the confirms and auto-submits); styles may be inline (htmx
# adds its indicator style; the SVG charts carry style attributes); images from us only; no
# frames, no form posted elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# An index's included columns (GroupDayTotals, issue 13) serve PostgreSQL's index-only scans;
# SQLite builds the same index without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if USE_X_FORWARDED_FOR else None
    if not SECURE_HSTS_PRELOAD:
        # Intranet hosts (县团委内网) cannot be on the browsers' preload list; say so once here.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
PAGE_SIZE = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
