"""Django settings for Chợ Phiên.

Everything that differs between a laptop and production comes from the
environment (see README, "Configuration"); every variable has a safe default
for the embedded setup (SQLite under var/, eager Celery, embedded search).
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY to a real secret (the dev key is public).")

# Personal numbers at rest (ID and tax numbers): Fernet keys, comma-separated, the first encrypts and
# all decrypt (rotation); a separate key for the blind indexes. Development derives both from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
FIELD_INDEX_KEY = os.environ.get("FIELD_INDEX_KEY", "")
if not DEBUG and (not FIELD_ENCRYPTION_KEYS or not FIELD_INDEX_KEY):
    raise ImproperlyConfigured("DEBUG is off: set FIELD_ENCRYPTION_KEYS and FIELD_INDEX_KEY (personal numbers).")
if not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()).decode()
    ]
FIELD_INDEX_KEY = FIELD_INDEX_KEY or hashlib.sha256(f"field-index:{SECRET_KEY}".encode()).hexdigest()

PORT = env_int("PORT", 8000)
PUBLIC_URL = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [PUBLIC_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "graphene_django",
    "backend.core",
    "backend.outbox",
    "backend.legal",
    "backend.accounts",
    "backend.notifications",
    "backend.regions",
    "backend.sellers",
    "backend.helpers",
    "backend.moderation",
    "backend.catalog",
    "backend.checkout",
    "backend.orders",
    "backend.tax",
    "backend.reports",
    "backend.experiences",
    "backend.reviews",
    "backend.privacy",
    "backend.web",
    "search",
    "storefront_api",
]

MIDDLEWARE = [
    "backend.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the collected static files (CSS, htmx) from gunicorn itself, compressed, with
    # far-future caching for hashed names; a CDN or proxy in front can still cache them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

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
                "backend.web.context.compliance",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite (embedded default): WAL so readers never block the writer, a busy
# timeout so concurrent writers wait instead of failing with "database is
# locked", and IMMEDIATE transactions so a transaction takes the write lock up
# front instead of failing when it upgrades from a read lock.
SQLITE_PATH = VAR_DIR / "chophien.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True),
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=30000;PRAGMA foreign_keys=ON;"
                ),
            },
            # A file (not :memory:) so concurrency tests use real locking; one per
            # process so parallel test runs never share it.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process (login throttling, response cache) --------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
_cache_redis = REDIS_URL or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if _cache_redis:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_redis}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JWT_SIGNING_KEY = os.environ.get("JWT_SIGNING_KEY", SECRET_KEY)
JWT_ACCESS_TTL = timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15))
JWT_REFRESH_TTL = timedelta(days=env_int("JWT_REFRESH_DAYS", 30))
# Failed logins allowed per window before tokenCreate answers THROTTLED.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)
LOGIN_THROTTLE_PER_EMAIL = env_int("LOGIN_THROTTLE_PER_EMAIL", 5)
LOGIN_THROTTLE_PER_IP = env_int("LOGIN_THROTTLE_PER_IP", 30)
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- I18n -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage"}
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Celery -----------------------------------------------------------------------
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Search writes go to their own queue, consumed by one worker process with
# concurrency 1 (the embedded index has one writer; batches commit together).
CELERY_TASK_ROUTES = {"search.*": {"queue": "search"}}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "search-sync-pending": {"task": "search.sync_pending", "schedule": 60.0},
    "search-reconcile": {"task": "search.reconcile", "schedule": 60.0 * 60},
    "checkout-release-expired": {"task": "checkout.release_expired_reservations", "schedule": 60.0},
    "orders-payout-eligibility": {"task": "orders.mark_payout_eligible", "schedule": 60.0 * 60},
    "orders-cancel-unpaid": {"task": "orders.cancel_unpaid_orders", "schedule": 5 * 60.0},
    "payments-poll-pending": {"task": "orders.poll_pending_payments", "schedule": 5 * 60.0},
    "reports-evaluate-alerts": {"task": "reports.evaluate_alerts", "schedule": 60.0 * 60},
    "experiences-expand-schedules": {"task": "experiences.expand_schedules", "schedule": 6 * 60 * 60.0},
    "reviews-recount-sold": {"task": "reviews.recount_sold", "schedule": 24 * 60 * 60.0},
    "privacy-enforce-retention": {"task": "privacy.enforce_retention", "schedule": 24 * 60 * 60.0},
}

# --- Search ------------------------------------------------------------------------
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "embedded")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_DIR = VAR_DIR / "search"
# Index product changes as they happen (tests switch it on where they need it).
SEARCH_AUTO_INDEX = env_bool("SEARCH_AUTO_INDEX", True)

# --- Checkout --------------------------------------------------------------------
CHECKOUT_RESERVATION_MINUTES = env_int("CHECKOUT_RESERVATION_MINUTES", 15)
# Seller orders paid online are confirmed at once; COD orders wait for the seller.
ORDER_AUTO_CONFIRM_PAID = env_bool("ORDER_AUTO_CONFIRM_PAID", True)
# Cash on delivery is refused above this order total (đồng): large orders are paid up front.
COD_MAX_ORDER_TOTAL = env_int("COD_MAX_ORDER_TOTAL", 10_000_000)
# A seller order's money can be paid out this many days after delivery.
PAYOUT_HOLD_DAYS = env_int("PAYOUT_HOLD_DAYS", 7)
# Without a delivery confirmation, a fulfilled order counts as delivered after this many days.
DELIVERY_ASSUMED_AFTER_DAYS = env_int("DELIVERY_ASSUMED_AFTER_DAYS", 7)
# Online orders still unpaid after this many minutes are cancelled and their stock released.
ORDER_UNPAID_CANCEL_MINUTES = env_int("ORDER_UNPAID_CANCEL_MINUTES", 60)
# Online payments still pending after this many minutes are queried at the gateway.
PAYMENT_POLL_AFTER_MINUTES = env_int("PAYMENT_POLL_AFTER_MINUTES", 15)

# --- Experiences -------------------------------------------------------------------
# Weekly schedules are materialised into slots this many days ahead (a periodic task keeps it so).
EXPERIENCE_SLOT_HORIZON_DAYS = env_int("EXPERIENCE_SLOT_HORIZON_DAYS", 90)
# Participants in one booking at most.
BOOKING_MAX_PARTICIPANTS = env_int("BOOKING_MAX_PARTICIPANTS", 50)

# --- Sellers -------------------------------------------------------------------
# Default commission on a seller's sales, in basis points (500 = 5 %).
SELLER_DEFAULT_COMMISSION_BP = env_int("SELLER_DEFAULT_COMMISSION_BP", 500)
# E-commerce Law 122/2025: no seller is approved without a verified identity. A pilot may lift it
# (off): every such approval is marked in the audit log and the province console shows a banner.
SELLER_APPROVAL_REQUIRES_IDENTITY = env_bool("SELLER_APPROVAL_REQUIRES_IDENTITY", True)

# Published disclosures (Decree 52/2013 as amended by 85/2021): who runs the platform and its
# registration with the Ministry of Industry and Trade (online.gov.vn). Demo values until registered.
PLATFORM_OPERATOR_NAME = os.environ.get("PLATFORM_OPERATOR_NAME", "Chợ Phiên (demo operator)")
PLATFORM_OPERATOR_ADDRESS = os.environ.get("PLATFORM_OPERATOR_ADDRESS", "Phường Xuân Hương - Đà Lạt, Lâm Đồng")
PLATFORM_OPERATOR_TAX_CODE = os.environ.get("PLATFORM_OPERATOR_TAX_CODE", "")
PLATFORM_OPERATOR_EMAIL = os.environ.get("PLATFORM_OPERATOR_EMAIL", "hotro@chophien.vn")
PLATFORM_OPERATOR_PHONE = os.environ.get("PLATFORM_OPERATOR_PHONE", "")
MOIT_REGISTRATION_NUMBER = os.environ.get("MOIT_REGISTRATION_NUMBER", "")
MOIT_REGISTRATION_URL = os.environ.get("MOIT_REGISTRATION_URL", "")
DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "baomatdulieu@chophien.vn")
# Personal data rights (Law 91/2025/QH15): how long a request may take, and how long data is kept.
PRIVACY_EXPORT_DEADLINE_HOURS = env_int("PRIVACY_EXPORT_DEADLINE_HOURS", 72)
PRIVACY_DELETE_DEADLINE_HOURS = env_int("PRIVACY_DELETE_DEADLINE_HOURS", 72)
RETENTION_IDENTITY_PHOTOS_DAYS = env_int("RETENTION_IDENTITY_PHOTOS_DAYS", 90)
RETENTION_ABANDONED_CHECKOUT_DAYS = env_int("RETENTION_ABANDONED_CHECKOUT_DAYS", 30)

# --- Reviews -------------------------------------------------------------------
# A buyer reviews a line within this many days of its delivery (or of the experience's end).
REVIEW_WINDOW_DAYS = env_int("REVIEW_WINDOW_DAYS", 30)
# ...and may edit the review within this many days of writing it (the history is kept).
REVIEW_EDIT_DAYS = env_int("REVIEW_EDIT_DAYS", 14)
REVIEW_MAX_PHOTOS = 5
# Shrinkage (Bayesian average): score = (PRIOR_WEIGHT × PRIOR_MEAN + sum of stars) / (PRIOR_WEIGHT + n).
REVIEW_PRIOR_MEAN = float(os.environ.get("REVIEW_PRIOR_MEAN", "4.0"))
REVIEW_PRIOR_WEIGHT = env_int("REVIEW_PRIOR_WEIGHT", 5)
# Reviews one account may write per hour (a burst from one account is refused).
REVIEW_RATE_PER_HOUR = env_int("REVIEW_RATE_PER_HOUR", 10)

# --- Province alerts (defaults; a province may override them in the admin) ----------
# Applications waiting longer than this many days.
ALERT_PENDING_APPLICATION_DAYS = env_int("ALERT_PENDING_APPLICATION_DAYS", 7)
# Share of a seller's orders of the last 30 days cancelled (or whose cash on delivery failed).
ALERT_CANCELLATION_RATE = float(os.environ.get("ALERT_CANCELLATION_RATE", "0.3"))
ALERT_FAILED_COD_RATE = float(os.environ.get("ALERT_FAILED_COD_RATE", "0.3"))
# A rate counts only once the seller has this many orders in the 30 days.
ALERT_RATE_MIN_ORDERS = env_int("ALERT_RATE_MIN_ORDERS", 5)
# Listings with more open reports than this.
ALERT_REPORTS_THRESHOLD = env_int("ALERT_REPORTS_THRESHOLD", 3)
# Prices above ratio × or below 1/ratio × the category median in the province.
ALERT_PRICE_RATIO = float(os.environ.get("ALERT_PRICE_RATIO", "3"))
# A seller receiving more reviews than this within 24 hours (a burst of reviews).
ALERT_REVIEW_BURST = env_int("ALERT_REVIEW_BURST", 20)

# --- E-mail (console in dev; SMTP in production: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend) --
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chợ Phiên <no-reply@chophien.vn>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False) and not EMAIL_USE_TLS
# Seconds before an SMTP call gives up (the outbox retries it later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Where django.core.mail.backends.filebased.EmailBackend writes (staging, tests).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- GraphQL -------------------------------------------------------------------------
GRAPHENE = {"SCHEMA": "storefront_api.schema.schema", "SCHEMA_OUTPUT": "storefront_api/schema.graphql"}
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 50_000)
GRAPHQL_MAX_PAGE_SIZE = 100
# Anonymous catalog responses are cached per catalog version (see backend/core/response_cache.py).
GRAPHQL_RESPONSE_CACHE = env_bool("GRAPHQL_RESPONSE_CACHE", True)

# --- Provinces served (README "Provinces served") -----------------------------------------
# Slugs of the provinces this deployment serves (fixtures/regions/provinces.json); the first is the
# default (the root storefront, the pickers' home province) unless DEFAULT_PROVINCE names another.
SERVED_PROVINCES = env_list("SERVED_PROVINCES", ["lam-dong"])
DEFAULT_PROVINCE = os.environ.get("DEFAULT_PROVINCE", "").strip() or SERVED_PROVINCES[0]
if DEFAULT_PROVINCE not in SERVED_PROVINCES:
    raise ImproperlyConfigured("DEFAULT_PROVINCE must be one of SERVED_PROVINCES.")

# --- Security (README "Security", docs/permissions.md) ------------------------------------
# Province admins of these provinces (slugs) also act as the platform for the sellers they cover:
# carrier cash, remittance, settlement, payouts and commissions. Empty: only platform staff do.
PLATFORM_OPERATOR_PROVINCES = env_list("PLATFORM_OPERATOR_PROVINCES", [])
# Other front ends (origins, e.g. https://app.chophien.vn) buyers may be sent back to after a payment
# or a sign-in; PUBLIC_URL is always allowed, every other return URL is refused as INVALID.
FRONTEND_URLS = [url.rstrip("/") for url in env_list("FRONTEND_URLS", [])]

# Throttles (backend/core/throttle.py: the shared cache, in-process counters when it is down).
REGISTER_THROTTLE_PER_IP = env_int("REGISTER_THROTTLE_PER_IP", 10)
REGISTER_THROTTLE_PER_EMAIL = env_int("REGISTER_THROTTLE_PER_EMAIL", 3)
REGISTER_THROTTLE_WINDOW_SECONDS = env_int("REGISTER_THROTTLE_WINDOW_SECONDS", 60 * 60)
PASSWORD_RESET_THROTTLE_PER_IP = env_int("PASSWORD_RESET_THROTTLE_PER_IP", 10)
PASSWORD_RESET_THROTTLE_PER_ACCOUNT = env_int("PASSWORD_RESET_THROTTLE_PER_ACCOUNT", 3)
PASSWORD_RESET_THROTTLE_WINDOW_SECONDS = env_int("PASSWORD_RESET_THROTTLE_WINDOW_SECONDS", 60 * 60)
# Notifications (backend/notifications): retries per channel before the next one (Zalo → SMS → e-mail),
# the first retry's delay (then ×4), and quiet hours for messages that are not urgent (Vietnam time).
NOTIFY_ATTEMPTS_PER_CHANNEL = env_int("NOTIFY_ATTEMPTS_PER_CHANNEL", 3)
NOTIFY_RETRY_FIRST_DELAY_SECONDS = env_int("NOTIFY_RETRY_FIRST_DELAY_SECONDS", 30)
NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "21:00-07:00")
# One-time codes sent to phones (backend/accounts/otp.py).
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 5 * 60)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)  # wrong codes before the number is locked
OTP_LOCK_SECONDS = env_int("OTP_LOCK_SECONDS", 15 * 60)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)  # between two codes to one number, and per IP
OTP_PER_PHONE_PER_HOUR = env_int("OTP_PER_PHONE_PER_HOUR", 5)
OTP_PER_IP_PER_HOUR = env_int("OTP_PER_IP_PER_HOUR", 20)
OTP_VERIFY_PER_IP = env_int("OTP_VERIFY_PER_IP", 30)  # wrong codes from one IP per OTP_LOCK_SECONDS
# Django's own setting: how long a password reset link works (seconds).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 60 * 60)
# Anonymous GraphQL traffic per client IP and minute: requests, and estimated cost (see limits.py).
GRAPHQL_ANON_REQUESTS_PER_MINUTE = env_int("GRAPHQL_ANON_REQUESTS_PER_MINUTE", 300)
GRAPHQL_ANON_COST_PER_MINUTE = env_int("GRAPHQL_ANON_COST_PER_MINUTE", 500_000)
# Per document: characters and lexical tokens (bound the parser's work: the pages' documents have
# at most a few hundred tokens), and aliased fields.
GRAPHQL_MAX_QUERY_LENGTH = env_int("GRAPHQL_MAX_QUERY_LENGTH", 20_000)
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 2_000)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 30)
# The schema explorer and introspection: on in development, off in production unless asked for.
GRAPHQL_GRAPHIQL = env_bool("GRAPHQL_GRAPHIQL", DEBUG)
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)

# Private files (sellers' business documents): outside MEDIA_ROOT, served only through a view that
# checks permissions (backend/core/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES["private"] = {
    "BACKEND": "backend.core.private_s3.PrivateS3Storage"
    if AWS_STORAGE_BUCKET_NAME
    else "backend.core.storage.PrivateFileSystemStorage"
}

# HTTPS: PUBLIC_URL says whether the site is served over TLS (usually by a proxy that sets
# X-Forwarded-Proto; it must overwrite whatever the client sent).
BEHIND_TLS = PUBLIC_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS and not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz"]  # container health checks speak plain HTTP inside
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if BEHIND_TLS and not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS or not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Forms carry the token in a hidden field; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts only from this site's static files, never inline.
# Styles allow inline `style` attributes (htmx adds its indicator style); forms may post to any
# HTTPS address because the checkout answers with a redirect to the payment gateway.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https:"],
    },
}

# --- Reliability ------------------------------------------------------------------
# Side effects (e-mails, refunds, thumbnails) are outbox rows delivered by the dispatcher.
OUTBOX_DISPATCH_SECONDS = env_int("OUTBOX_DISPATCH_SECONDS", 5)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 10)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 60 * 60)
# An item being delivered is invisible to other dispatchers this long (a killed worker's item returns after it).
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 5 * 60)
CELERY_BEAT_SCHEDULE["outbox-dispatch"] = {"task": "outbox.dispatch", "schedule": float(OUTBOX_DISPATCH_SECONDS)}
CELERY_BEAT_SCHEDULE["search-sync-pending"]["schedule"] = 15.0
# A task is acknowledged after it ran, and given back to the queue when its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Unacknowledged messages of a worker that vanished are redelivered after this many seconds
# (Redis broker). Longer than any task runs, shorter than an operator's patience.
# A publish tries the broker once (a request never waits for it: the outbox row is already written).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 15 * 60),
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
# Redis down must not hang a request: short socket timeouts, then the callers fall back to no cache.
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))
if _cache_redis:
    CACHES["default"]["OPTIONS"] = {  # type: ignore[assignment]
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
# /healthz/ready answers 503 when one of these is down (database, cache, broker, search, outbox).
HEALTH_READY_REQUIRED = env_list("HEALTH_READY_REQUIRED", ["database"])
# The outbox counts as down when its oldest pending item is older than this.
HEALTH_OUTBOX_MAX_AGE_SECONDS = env_int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 10 * 60)
# An index holding fewer documents than this share of the catalog's is rebuilt.
SEARCH_MIN_INDEX_RATIO = float(os.environ.get("SEARCH_MIN_INDEX_RATIO", "0.9"))
# "json": one JSON object a line (with the request id), for a log shipper; "plain" otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "backend.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "backend.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
