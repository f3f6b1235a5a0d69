"""Settings for tieju, read from the environment (see .env.example)."""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tieju.directory import ldap_settings
from tieju.env import env_bool, env_database, env_file_storage, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TIEJU_VAR_DIR", str(BASE_DIR / "var")))

# Off unless the environment turns it on: a checkout gets DEBUG=true from the .env that `make run`
# writes (manage.py reads it); servers load their environment file (.env.example). The test suite has
# its own module, tieju/test_settings.py, which pytest's configuration chooses.
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (in a checkout, `make run` writes a .env with DEBUG=true)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so its createsuperuser and changepassword (audited) take the place of django.contrib.auth's.
    "audit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "imports",
    "teams",
    "tasks",
    "metrics",
    "api",
    "notify",
    "calendars",
    "directory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tieju.middleware.MethodNotAllowedPageMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tieju.middleware.SessionTimeoutMiddleware",
    "teams.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tieju.urls"
WSGI_APPLICATION = "tieju.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "tieju.sqlite3")}
# Optional read replica: reads outside a transaction go there, everything else to default.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", None)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tieju.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords (等保2.0 身份鉴别): length, three of four character classes, not the user name,
# not one of the last TIEJU_PASSWORD_HISTORY, changed every TIEJU_PASSWORD_MAX_AGE_DAYS (teams/passwords.py).
TIEJU_PASSWORD_MIN_LENGTH = env_int("TIEJU_PASSWORD_MIN_LENGTH", 10, minimum=8)
TIEJU_PASSWORD_HISTORY = env_int("TIEJU_PASSWORD_HISTORY", 5, minimum=1)
TIEJU_PASSWORD_MAX_AGE_DAYS = env_int("TIEJU_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": TIEJU_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "teams.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "teams.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "teams.passwords.PasswordHistoryValidator", "OPTIONS": {"count": TIEJU_PASSWORD_HISTORY}},
]
# The demo accounts (published password) skip expiry while trying the software; never in production.
TIEJU_DEMO_ACCOUNTS_EXEMPT = env_bool("TIEJU_DEMO_ACCOUNTS_EXEMPT", default=DEBUG)
if TIEJU_DEMO_ACCOUNTS_EXEMPT and not DEBUG:
    raise ImproperlyConfigured("TIEJU_DEMO_ACCOUNTS_EXEMPT may be on only with DEBUG (never in production).")

# Sessions end after TIEJU_SESSION_IDLE_MINUTES without a request, and TIEJU_SESSION_MAX_HOURS
# after sign-in whatever the activity (tieju/middleware.py); the cookie dies with the browser.
TIEJU_SESSION_IDLE_MINUTES = env_int("TIEJU_SESSION_IDLE_MINUTES", 30, minimum=1)
TIEJU_SESSION_MAX_HOURS = env_int("TIEJU_SESSION_MAX_HOURS", 8, minimum=1)
SESSION_COOKIE_AGE = TIEJU_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# LDAP sign-in (optional extra [ldap]; README "LDAP sign-in"): on when LDAP_SERVER_URI is set. The directory
# is asked after axes (so lockout applies to directory accounts) and before local passwords.
TIEJU_LDAP_ROLE_GROUPS = {}
TIEJU_LDAP_DEPARTMENT_GROUPS = {}
globals().update(ldap_settings())
if env_str("LDAP_SERVER_URI"):
    AUTHENTICATION_BACKENDS.insert(1, "directory.backends.DirectoryBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tasks:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "tieju.views.login_locked_out"
# Behind nginx every client arrives from the proxy's address. With AXES_IPWARE_PROXY_COUNT=1 (the
# name the deployment has always used; TIEJU_PROXY_COUNT is the same) the client is read from
# X-Forwarded-For as the README's nginx writes it, only for requests from TIEJU_TRUSTED_PROXIES
# (tieju/clientip.py). The audit trail uses the same address.
TIEJU_PROXY_COUNT = env_int("TIEJU_PROXY_COUNT", env_int("AXES_IPWARE_PROXY_COUNT", 0, minimum=0), minimum=0)
TIEJU_TRUSTED_PROXIES = env_list("TIEJU_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "tieju.clientip.client_ip"

# Audit trail (audit/): kept at least 180 days (网络安全法 Article 21: six months); entries are
# chained by HMAC with TIEJU_AUDIT_KEY (default: derived from SECRET_KEY; never change it afterwards).
TIEJU_AUDIT_RETENTION_DAYS = env_int("TIEJU_AUDIT_RETENTION_DAYS", 180, minimum=180)
TIEJU_AUDIT_KEY = env_str("TIEJU_AUDIT_KEY", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"  # never served directly: evidence goes through a permission-checked view
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": env_file_storage("TIEJU_STORAGE"),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: refuse large bodies early; individual forms check their own limits too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
TIEJU_MAX_IMPORT_BYTES = env_int("TIEJU_MAX_IMPORT_BYTES", 10 * 1024 * 1024, minimum=1024)
# An uploaded file waiting for confirmation is kept this many days, then `prune_imports` removes it.
TIEJU_IMPORT_PREVIEW_DAYS = env_int("TIEJU_IMPORT_PREVIEW_DAYS", 7, minimum=0)
TIEJU_MAX_EVIDENCE_BYTES = env_int("TIEJU_MAX_EVIDENCE_BYTES", 20 * 1024 * 1024, minimum=1024)

# Traffic-light rules (see README, "Traffic lights").
TIEJU_DUE_SOON_DAYS = env_int("TIEJU_DUE_SOON_DAYS", 14, minimum=0)
TIEJU_REPORT_GRACE_DAYS = env_int("TIEJU_REPORT_GRACE_DAYS", 5, minimum=0)
TIEJU_BEHIND_SCHEDULE_POINTS = env_int("TIEJU_BEHIND_SCHEDULE_POINTS", 20, minimum=0)
# Monthly indicator values count as on time when entered by this day of the following month (数据报送及时率).
TIEJU_INDICATOR_REPORTING_DAY = env_int("TIEJU_INDICATOR_REPORTING_DAY", 5, minimum=1)
if TIEJU_INDICATOR_REPORTING_DAY > 28:
    raise ImproperlyConfigured("TIEJU_INDICATOR_REPORTING_DAY must be between 1 and 28 (every month has the day).")
# A postponement may move a deadline at most this many days past the current one.
TIEJU_POSTPONEMENT_MAX_DAYS = env_int("TIEJU_POSTPONEMENT_MAX_DAYS", 365, minimum=1)
# The issuing organ (发文机关标志) and the compiling office printed on the bulletin and its .docx/PDF.
TIEJU_BUREAU_NAME = env_str("TIEJU_BUREAU_NAME", "深圳市生态环境局")
TIEJU_BULLETIN_OFFICE = env_str("TIEJU_BULLETIN_OFFICE", "深圳市生态环境局办公室")
# LibreOffice, which converts the bulletin's .docx to PDF (`soffice --headless --convert-to pdf`).
TIEJU_SOFFICE = env_str("TIEJU_SOFFICE", "soffice")
TIEJU_PDF_TIMEOUT = env_int("TIEJU_PDF_TIMEOUT", 60, minimum=5)
# The supervision loop (README, "Supervision loop"): working days are Monday to Friday, minus
# TIEJU_HOLIDAYS, plus TIEJU_EXTRA_WORKDAYS (调休 weekends), both comma-separated YYYY-MM-DD.
TIEJU_SIGN_WITHIN_DAYS = env_int("TIEJU_SIGN_WITHIN_DAYS", 2, minimum=0)
TIEJU_NOTICE_RESPONSE_DAYS = env_int("TIEJU_NOTICE_RESPONSE_DAYS", 3, minimum=1)
TIEJU_HOLIDAYS = env_list("TIEJU_HOLIDAYS")
TIEJU_EXTRA_WORKDAYS = env_list("TIEJU_EXTRA_WORKDAYS")
TIEJU_NOTICE_PREFIX = env_str("TIEJU_NOTICE_PREFIX", "督办")
TIEJU_NOTICE_ISSUER = env_str("TIEJU_NOTICE_ISSUER", "深圳市生态环境局办公室")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tieju@localhost")

# Notifications (notify/): robot posts time out after this many seconds; a failed delivery is retried by the
# next run of send_reminders after 10, 20, 40 … minutes (capped at a day), at most this many attempts.
TIEJU_NOTIFY_TIMEOUT_SECONDS = env_int("TIEJU_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
TIEJU_NOTIFY_RETRY_MINUTES = env_int("TIEJU_NOTIFY_RETRY_MINUTES", 10, minimum=1)
TIEJU_NOTIFY_MAX_ATTEMPTS = env_int("TIEJU_NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
# A delivery still 发送中 this long after its attempt began was left by a run that died; the next run takes it back.
TIEJU_NOTIFY_STUCK_MINUTES = env_int("TIEJU_NOTIFY_STUCK_MINUTES", 30, minimum=1)
if TIEJU_NOTIFY_STUCK_MINUTES * 60 <= 2 * TIEJU_NOTIFY_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "TIEJU_NOTIFY_STUCK_MINUTES must be well above TIEJU_NOTIFY_TIMEOUT_SECONDS: a live send would be taken back."
    )

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Production hardening; `manage.py check --deploy` must be clean with DEBUG off
# (tests/test_deploy.py checks it in a subprocess with these settings and a production environment).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline script or style anywhere; pages pass data to
# their static JS through json_script, which is inert JSON, not script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The REST API (api/, README "REST API"): session or per-user token, the web's permissions, JSON errors.
TIEJU_API_PAGE_SIZE = env_int("TIEJU_API_PAGE_SIZE", 50, minimum=1)
TIEJU_API_MAX_PAGE_SIZE = env_int("TIEJU_API_MAX_PAGE_SIZE", 500, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Requests per minute, per account (token or session) and per client address without one.
TIEJU_API_RATE_USER = env_str("TIEJU_API_RATE_USER", "600/minute")
TIEJU_API_RATE_ANONYMOUS = env_str("TIEJU_API_RATE_ANONYMOUS", "60/minute")
# Bad Bearer tokens: after this many failures from one client address within the minutes, 429 (api/authentication.py).
TIEJU_API_TOKEN_FAILURES = env_int("TIEJU_API_TOKEN_FAILURES", 10, minimum=1)
TIEJU_API_TOKEN_MINUTES = env_int("TIEJU_API_TOKEN_MINUTES", 15, minimum=1)
for _name in ("TIEJU_API_RATE_USER", "TIEJU_API_RATE_ANONYMOUS"):
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must read like 600/minute (per second, minute, hour or day).")
SPECTACULAR_SETTINGS = {
    "TITLE": "tieju API",
    "DESCRIPTION": "铁军任务通 REST API: the task table, teams, indicators and published bulletins.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RequirementStatusEnum": "tasks.models.Status",
        "DepartmentKindEnum": "teams.models.Department.Kind",
        "OfficialKindEnum": "teams.models.Official.Kind",
        "JournalKindEnum": "tasks.models.JournalEntry.Kind",
    },
}

# Nothing in the app caches pages, sessions or users: every page is rendered from the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# `make bench` only: exposes /_bench/hello/, the baseline the dashboard is measured against.
TIEJU_BENCH = env_bool("TIEJU_BENCH", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 405 …) is one line in the log, not a traceback (tieju/logfilters.py).
    "filters": {"client_errors_one_line": {"()": "tieju.logfilters.ClientErrorsOneLine"}},
    "loggers": {"django.request": {"filters": ["client_errors_one_line"]}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
