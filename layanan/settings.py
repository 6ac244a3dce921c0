"""The only settings module of Layanan. Every environment variable is read here.

Behaviour differs by environment variable, never by settings file. ``.env.example`` lists each
variable with its default. ``LAYANAN_ENV=production`` makes secrets required and turns on the
HTTPS-only cookie and header settings; the embedded default (``development``) generates its
secrets into ``var/`` so ``make run`` needs no setup.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from layanan.core.env import env_bool, env_choice, env_int, env_keyring, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("LAYANAN_VAR_DIR", str(PROJECT_DIR / "var")))

# --- Mode -------------------------------------------------------------------------------------
LAYANAN_ENV = env_choice("LAYANAN_ENV", "development", ("development", "production"))
IS_PRODUCTION = LAYANAN_ENV == "production"
DEBUG = env_bool("DEBUG", False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when LAYANAN_ENV=production.")

_secret_fallback = None if IS_PRODUCTION else VAR_DIR / "secret_key"
SECRET_KEY = env_secret("SECRET_KEY", fallback_file=_secret_fallback)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "layanan.core",
    "layanan.audit",
    "layanan.notifications",
    "layanan.regions",
    "layanan.accounts",
    "layanan.workdays",
    "layanan.vault",
    "layanan.workflow",
    "layanan.catalog",
    "layanan.survey",
    "layanan.applications",
    "layanan.complaints",
    "layanan.queueing",
    "layanan.open311",
    "layanan.portal",
    "layanan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "layanan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "layanan.core.middleware.LanguageMiddleware",
    "layanan.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "layanan.core.middleware.DisplayPreferencesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "layanan.urls"
WSGI_APPLICATION = "layanan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:signin"
LAYANAN_STAFF_LOGIN_URL = "accounts:staff-signin"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
CSRF_FAILURE_VIEW = "layanan.portal.views.csrf_failure"

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
                "layanan.core.context_processors.layanan",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'layanan.sqlite3'}"
try:
    _database = dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite), conn_max_age=600)
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from error
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
_cache_url = env_str("CACHE_URL", f"file://{VAR_DIR / 'cache'}")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _cache_url.removeprefix("file://"),
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={_cache_url!r}: use redis://, rediss://, file:// or locmem://.")

# --- Background tasks ---------------------------------------------------------------------------
_tasks_backend = env_choice("LAYANAN_TASKS_BACKEND", "immediate", ("immediate", "database"))
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[_tasks_backend]
    }
}

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
_storage = env_choice("LAYANAN_STORAGE", "local", ("local", "s3"))
if _storage == "s3":
    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail and SMS ---------------------------------------------------------------------------------
_email = env_choice("EMAIL_BACKEND", "console", ("console", "file", "smtp"))
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[_email]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Layanan <noreply@layanan.local>")
# "console", "file", or the dotted path of a gateway class with send(*, address, subject, body).
LAYANAN_SMS_BACKEND = env_str("SMS_BACKEND", "console")
LAYANAN_SMS_FILE_PATH = VAR_DIR / "sms"
# WhatsApp like SMS: "console", "file" or the dotted path of a gateway class (same interface).
LAYANAN_WHATSAPP_BACKEND = env_str("WHATSAPP_BACKEND", "console")
LAYANAN_WHATSAPP_FILE_PATH = VAR_DIR / "whatsapp"
# How citizens without an e-mail address hear about their applications: "sms" or "whatsapp".
LAYANAN_NOTIFY_PHONE_CHANNEL = env_choice("NOTIFY_PHONE_CHANNEL", "sms", ("sms", "whatsapp"))

# --- Complaints -----------------------------------------------------------------------------------
# Reports from the REST API are accepted in one INSERT and processed by a
# worker: "task" enqueues a task per report (immediate in development), "poll" leaves them for
# `layanan process_complaint_intake --loop` (cheapest per request; see docs/complaints.md).
LAYANAN_COMPLAINT_INTAKE = env_choice("LAYANAN_COMPLAINT_INTAKE", "task", ("task", "poll"))
# How many reference numbers each process reserves at once for accepted reports (1: no blocks).
LAYANAN_REFERENCE_BLOCK = env_int("LAYANAN_REFERENCE_BLOCK", 50)
# The SP4N-LAPOR! gateway class; the default is the local simulator (flagged in production).
# Where the routing assistant keeps what it learned from confirmed dispositions (a JSON file;
# `layanan rebuild_routing_model` writes it). Empty: $LAYANAN_VAR_DIR/routing/learned.json.
LAYANAN_ROUTING_SNAPSHOT = env_str("LAYANAN_ROUTING_SNAPSHOT", "")
# Reports submitted through the API per client address per hour (visitors without an account).
LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR = env_int("LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR", 30)
LAYANAN_LAPOR_GATEWAY = env_str("LAYANAN_LAPOR_GATEWAY", "layanan.complaints.lapor.SimulatedLapor")

# --- Satisfaction survey (SKM) ---------------------------------------------------------------------
# How the index weighs the nine elements: "permen" (0.11 each, as Permen PANRB 14/2017 prints it)
# or "exact" (1/9). A unit head may choose per report; this is the default of a new report.
LAYANAN_SKM_WEIGHTING = env_choice("LAYANAN_SKM_WEIGHTING", "permen", ("permen", "exact"))
# Days an invitation (after an application, a counter code) stays open.
LAYANAN_SKM_INVITATION_DAYS = env_int("LAYANAN_SKM_INVITATION_DAYS", 30)
# Responses through a unit's general link per visitor address per day (stuffing guard).
LAYANAN_SKM_UNIT_LINK_PER_DAY = env_int("LAYANAN_SKM_UNIT_LINK_PER_DAY", 10)

# --- Queue (antrean) ---------------------------------------------------------------------------------
# Refuse tickets outside the site's opening days and hours (those of the unit that runs it).
# Off in development, so that the demo can be tried at any hour.
LAYANAN_QUEUE_ENFORCE_HOURS = env_bool("LAYANAN_QUEUE_ENFORCE_HOURS", IS_PRODUCTION)
# The display boards receive calls by Server-Sent Events from `layanan serve_board_events` (an ASGI
# process) that the reverse proxy serves at /antrean/<site>/layar/events on the same origin.
# Off: the boards poll layar.json every second (what `make run` does).
LAYANAN_BOARD_EVENTS = env_bool("LAYANAN_BOARD_EVENTS", False)
# Tickets one phone (visitor address) may take per day from the phone page.
LAYANAN_QUEUE_PHONE_TICKETS_PER_DAY = env_int("LAYANAN_QUEUE_PHONE_TICKETS_PER_DAY", 3)

# --- Personal data protection ------------------------------------------------------------------------
# Field encryption keys: "id:base64-32-bytes" entries, comma-separated, newest first. The first
# key encrypts; every key decrypts, so a key is rotated by prepending a new one.
_key_fallback = None if IS_PRODUCTION else VAR_DIR
LAYANAN_FIELD_KEYS = env_keyring(
    "LAYANAN_FIELD_KEYS", fallback_file=_key_fallback and _key_fallback / "field_keys"
)
# Key of the keyed blind index (HMAC-SHA256) that lets the NIK be looked up without decrypting it.
LAYANAN_BLIND_INDEX_KEY = env_keyring(
    "LAYANAN_BLIND_INDEX_KEY", fallback_file=_key_fallback and _key_fallback / "blind_index_key"
)

# --- Applications: uploads, signed outputs, payments ------------------------------------------------
# Largest document a citizen or officer may upload (bytes).
LAYANAN_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Ed25519 seeds that sign output documents, "id:base64-32-bytes", newest first: the first signs,
# every one verifies (rotation). A certified provider (BSrE) would replace the signer class.
LAYANAN_SIGNING_KEYS = env_keyring(
    "LAYANAN_SIGNING_KEYS", fallback_file=_key_fallback and _key_fallback / "signing_keys"
)
# The public address printed in QR codes and notifications: SITE_URL above.
LAYANAN_SITE_URL = SITE_URL
# "simulator" (the local payment simulator page) or the dotted path of a PaymentProvider class.
LAYANAN_PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "simulator")
# Secret shared with SP4N-LAPOR! to sign the reports it sends us (same format as the keys above).
# Optional in production: without it every inbound report is refused.
LAYANAN_LAPOR_SECRET = (
    env_keyring("LAYANAN_LAPOR_SECRET", fallback_file=_key_fallback and _key_fallback / "lapor_secret")
    if env_str("LAYANAN_LAPOR_SECRET", "") or not IS_PRODUCTION
    else ""
)
LAYANAN_PAYMENT_SECRET = env_keyring(
    "LAYANAN_PAYMENT_SECRET", fallback_file=_key_fallback and _key_fallback / "payment_secret"
)
# Days a bill stays payable.
LAYANAN_BILL_VALID_DAYS = env_int("BILL_VALID_DAYS", 7)

# --- Passwords, sessions, login throttling ----------------------------------------------------------
PASSWORD_HASHERS = [
    "layanan.core.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/public/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "code", "nik"]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Layanan")
OTP_LOGIN_URL = "accounts:staff-otp"
LAYANAN_OTP_CODE_TTL_SECONDS = env_int("OTP_CODE_TTL_SECONDS", 600)
LAYANAN_OTP_MAX_ATTEMPTS = 5

# --- HTTPS (production) ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Strict Content-Security-Policy: no inline script or style anywhere (django-csp 4).
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
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Language and time -------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
LANGUAGE_COOKIE_NAME = "layanan_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Logging: personal data never reaches the log ----------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "layanan.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every rendering step at INFO.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
