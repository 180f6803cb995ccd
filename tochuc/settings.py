"""One env-driven settings module (see README): SQLite by default, PostgreSQL by DATABASE_URL."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TOCHUC_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key() -> str:
    """SECRET_KEY, SECRET_KEY_FILE, or a key generated once and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret-key"))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG")
TESTING = envbool("TOCHUC_TESTING")
SECRET_KEY = secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "tochuc.accounts.apps.AxesConfig",  # axes, under a Vietnamese name
    "django_otp",
    "tochuc.accounts.apps.TOTPConfig",  # django_otp.plugins.otp_totp, likewise
    "django_tasks",
    "django_tasks_db",
    "tochuc.core",
    "tochuc.accounts",
    "tochuc.organizations",
    "tochuc.policy",
    "tochuc.members",
    "tochuc.transfers",
    "tochuc.admissions",
    "tochuc.ratings",
    "tochuc.inspections",
    "tochuc.imports",
    "tochuc.reports",
    "tochuc.statistics",
    "tochuc.demo",
    "tochuc.dues",
    "tochuc.documents",
    "tochuc.programmes",
    "tochuc.committees",
    "tochuc.meetings",
    "tochuc.quality",
    "ninja",
    "tochuc.api",
    "tochuc.awards",
    "tochuc.cadres",
    "tochuc.notifications",
    "tochuc.selfservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle timeout and absolute lifetime: an expired session is signed out before the
    # login requirement redirects to the login page.
    "tochuc.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "tochuc.accounts.middleware.ScopeMiddleware",
    "tochuc.core.audit.AuditContextMiddleware",
    "tochuc.core.middleware.NoStoreMiddleware",
    "tochuc.core.middleware.RefusedQueryMiddleware",
    # Reads only: the summary table's freshness resolved once per date for the whole page.
    "tochuc.statistics.middleware.SnapshotReaderMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a repeated POST is sent to the first one's result, with a message.
    "tochuc.core.once.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tochuc.urls"
WSGI_APPLICATION = "tochuc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tochuc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tochuc.core.context_processors.app",
                "tochuc.notifications.context_processors.inbox",
                "tochuc.selfservice.context_processors.self_account",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
SQLITE_PATH = VAR_DIR / "tochuc.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=envint("CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if not TESTING:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # One test database per run, so that concurrent runs on one server do not collide.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TEST_DATABASE_NAME", f"test_tochuc_{os.getpid()}"
    )
# Optional (off by default): report reads on a PostgreSQL streaming replica
# (tochuc/core/routers.py; docs/van-hanh.md). A replica that cannot be reached within
# REPORTS_CONNECT_TIMEOUT seconds is skipped (reports read on the primary, with a notice);
# one more than REPORTS_REPLICA_MAX_LAG seconds behind is used, with a notice.
if os.environ.get("REPORTS_DATABASE_URL"):
    DATABASES["reports"] = dj_database_url.parse(
        os.environ["REPORTS_DATABASE_URL"], conn_max_age=envint("CONN_MAX_AGE", 60)
    )
    DATABASES["reports"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", envint("REPORTS_CONNECT_TIMEOUT", 2)
    )
    DATABASES["reports"]["CONN_HEALTH_CHECKS"] = True
    # Tests read the primary's test database through it (no test database of its own).
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
# Without a "reports" database the router sends nothing anywhere (tests add one).
DATABASE_ROUTERS = ["tochuc.core.routers.ReportsReplicaRouter"]
REPORTS_REPLICA_MAX_LAG = envint("REPORTS_REPLICA_MAX_LAG", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the throttles' counters (members/identity.py) and the home page's panels:
# it must be one for every process, or each web worker would give its own allowance. On
# PostgreSQL, a table of the database that every machine shares (created by the core
# migration "cache_table"); on SQLite (one machine), files under var/. Tests: in memory.
# Room for every entry (Django's default is 300, then a third of them is dropped at each
# write): the panels of every organization whose home page is open (about ten each: a
# national deployment has thousands) and the throttles' counters, which must never be
# dropped early (a dropped counter gives its user a fresh allowance). Entries expire on
# their own (panels 60 s, counters their window).
CACHE_OPTIONS = {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 50_000)}
# "local": each process's own memory, for figures that need no sharing and must cost no
# round trip (a search's "more than 1,000" mark: members/selectors.py).
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "tochuc-local",
    "OPTIONS": {"MAX_ENTRIES": 5_000},
}
if TESTING:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": CACHE_OPTIONS,
        },
        "local": LOCAL_CACHE,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": CACHE_OPTIONS,
        },
        "local": LOCAL_CACHE,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tochuc_cache",
            "OPTIONS": CACHE_OPTIONS,
        },
        "local": LOCAL_CACHE,
    }

# Background work (imports, summary refreshes): Django's task framework (the django-tasks
# backport) with the queue in the database (django-tasks-db); `tochuc db_worker` runs the
# tasks (docs/van-hanh.md). Under tests a task runs at once, inside the caller.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses a locked-out login before the password is checked; the model backend
# checks the password.
AUTHENTICATION_BACKENDS = [
    "tochuc.accounts.backends.LockoutBackend",
    "tochuc.selfservice.backends.MemberIdentityBackend",
    # Django's ModelBackend, the user read with their grants (one query for both).
    "tochuc.accounts.backends.AccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tochuc" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tochuc.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "tochuc" / "static"]
STATIC_ROOT = None if TESTING else VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"

# Uploads (imports): bounded before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
TOCHUC_IMPORT_MAX_BYTES = envint("TOCHUC_IMPORT_MAX_BYTES", 30 * 1024 * 1024)
# Files attached to meetings and progress reports (core/uploads.py): size and extensions.
TOCHUC_ATTACHMENT_MAX_BYTES = envint("TOCHUC_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
TOCHUC_ATTACHMENT_TYPES = envlist(
    "TOCHUC_ATTACHMENT_TYPES", "pdf,doc,docx,xls,xlsx,odt,ods,jpg,jpeg,png,txt"
)

# Security. Production runs with DEBUG=0 and passes `tochuc check --deploy` (docs/security.md).
# The client's address: REMOTE_ADDR unless a trusted reverse proxy sets a header (e.g.
# HTTP_X_REAL_IP); a header the client can forge would let an attacker dodge the lockout.
TOCHUC_CLIENT_IP_HEADER = os.environ.get("TOCHUC_CLIENT_IP_HEADER", "REMOTE_ADDR")
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a query compiled once per process (accounts/sessions.py).
SESSION_ENGINE = "tochuc.accounts.sessions"
# Sessions end after 30 minutes without a request, and 8 hours after the login at the latest.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Lockout (django-axes): 5 failed logins for one user name from one address lock that pair
# for 15 minutes; the same user from another address is not locked out.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # logins are in the audit log (tochuc.core.audit)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = [TOCHUC_CLIENT_IP_HEADER]
AXES_VERBOSE = False
# Citizen-ID and party-card checks (tochuc/members/identity.py): per user and hour, the
# numbers looked up for uniqueness (forms, imports, receiving from outside), and the numbers
# found on a record outside the user's scope (answered without saying whose). Beyond
# either, checks are refused until the next hour and the refusal is audited. System
# administrators (whose scope is everything) are not counted.
TOCHUC_IDENTITY_CHECKS_PER_HOUR = envint("TOCHUC_IDENTITY_CHECKS_PER_HOUR", 50000)
TOCHUC_IDENTITY_HIDDEN_PER_HOUR = envint("TOCHUC_IDENTITY_HIDDEN_PER_HOUR", 20)
# Changing one's password: wrong old passwords lock the form for a while (audited).
PASSWORD_CHANGE_FAILURE_LIMIT = envint("PASSWORD_CHANGE_FAILURE_LIMIT", 5)
PASSWORD_CHANGE_LOCKOUT_MINUTES = envint("PASSWORD_CHANGE_LOCKOUT_MINUTES", 15)
# Two-factor login (TOTP, django-otp): optional for users, required for system administrators.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "tochuc")
TOCHUC_OTP_PENDING_SECONDS = envint("TOCHUC_OTP_PENDING_SECONDS", 5 * 60)
# The JSON API (tochuc/api): requests per token and minute; a token lives at most this long.
TOCHUC_API_REQUESTS_PER_MINUTE = envint("TOCHUC_API_REQUESTS_PER_MINUTE", 120)
TOCHUC_API_TOKEN_MAX_DAYS = envint("TOCHUC_API_TOKEN_MAX_DAYS", 365)
# A new token's life offered by the form (the user may choose up to the maximum above).
TOCHUC_API_TOKEN_DEFAULT_DAYS = envint("TOCHUC_API_TOKEN_DEFAULT_DAYS", 90)
# Content-Security-Policy: scripts only from the app's own static files (no inline script,
# no eval); inline style attributes are allowed (progress bars set their width).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "1")
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# E-mail of notifications (tochuc/notifications): sent only where the deployment sets
# EMAIL_HOST (an isolated network usually has none: the in-app inbox is enough), after the
# writing transaction commits, by a task of the queue. Links in the mail start with
# TOCHUC_SITE_URL.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tochuc@localhost")
TOCHUC_NOTIFY_BY_EMAIL = envbool("TOCHUC_NOTIFY_BY_EMAIL", "1")
# `tochuc notify_due` repeats the same notice of what is due at most once in this many days.
TOCHUC_DUE_NOTICE_REPEAT_DAYS = envint("TOCHUC_DUE_NOTICE_REPEAT_DAYS", 7)
TOCHUC_SITE_URL = os.environ.get("TOCHUC_SITE_URL", "").rstrip("/")
