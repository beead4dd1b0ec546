"""Settings shared by every environment, read from environment variables.

``dev`` (the default for ``manage.py``) and ``production`` build on this module; the README
lists every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from claimtracker.env import env_bool, env_int, env_list, env_str, env_time_zone

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, which it extends with a tab per language (claims/translation.py).
    "modeltranslation",
    "accounts.apps.ClaimTrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # intcomma: counts grouped as each language writes them ("1,000", "1 000").
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    # axes and the two django_otp plugins, under human names on the admin index (accounts/apps.py).
    "accounts.apps.LoginProtectionConfig",
    "django_otp",
    "accounts.apps.AuthenticatorAppsConfig",
    "accounts.apps.BackupCodesConfig",
    "accounts",
    "people",
    "claims",
    "sampledata",
    "public",
    "api",
    "backups",
    "embeds",
    "webhooks",
    "imports",
    "readers",
    "edgecache",
]

MIDDLEWARE = [
    "claimtracker.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that shapes the answer, so it sees the final Cache-Control and cookies:
    # names what a shareable answer shows, for an HTTP accelerator to purge (claimtracker/cache_tags.py).
    "claimtracker.cache_tags.CacheTagsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come pre-compressed), before everything that sets cookies or
    # Vary: Cookie, so it sees them and leaves those responses uncompressed (BREACH).
    "claimtracker.compression.CompressionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (which redirects to the language-prefixed address).
    "claimtracker.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Lets the history of a change made in a request record who made it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "claimtracker.middleware.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

# Responses under these paths are never compressed: the admin and its login page carry CSRF tokens
# and editors' data beside input an attacker can choose (BREACH). claimtracker/compression.py
# also skips any response that sets a cookie or varies on it, wherever it is.
COMPRESSION_EXCLUDED_PATHS = ["/admin/", "/accounts/"]

ROOT_URLCONF = "claimtracker.urls"
WSGI_APPLICATION = "claimtracker.wsgi.application"

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
                "claimtracker.context_processors.site",
            ],
        },
    },
]


def _database_from_url(url: str, name: str = "DATABASE_URL") -> dj_database_url.DBConfig:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a database URL we understand: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an editor writes; IMMEDIATE takes the write lock when the
        # transaction starts, so concurrent saves queue on the busy timeout instead of failing
        # with "database is locked" halfway through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        # Needed behind PgBouncer in transaction pooling mode (docs/deploy.md).
        config["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False)
    test_name = env_str("DATABASE_TEST_NAME")
    if test_name:
        config["TEST"] = {"NAME": test_name}
    return config


DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": _database_from_url(DATABASE_URL)}
# Streaming replicas of the primary, as replica_1, replica_2…; claimtracker/routers.py sends
# anonymous and API reads there. In tests they mirror the test database, which on a real
# standby arrives by replication.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{_number}"] = {
        **_database_from_url(_url, "DATABASE_REPLICA_URLS"),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["claimtracker.routers.PrimaryReplicaRouter"]
# After a browser writes, its reads stay on the primary this long, outlasting replication lag.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "claimtracker"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface and the desk's translations (docs/languages.md). English is the language the desk
# writes the record in: its pages have no prefix; Ukrainian and Russian are under /uk/ and /ru/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
# The desk's translations of the record (claims/translation.py): a text with no translation in the
# reader's language is shown in English, with a note saying so.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
MODELTRANSLATION_REQUIRED_LANGUAGES = (LANGUAGE_CODE,)


def _name_in_language(verbose_name: str, language: str) -> Any:
    """The admin's label for one language's column of a translated field: "summary (Ukrainian)"."""
    from django.utils.text import format_lazy

    return format_lazy("{} ({})", verbose_name, dict(LANGUAGES)[language])


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _name_in_language
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The organisation that publishes the verdicts: the ClaimReview `author` and the site title.
CLAIMTRACKER_PUBLISHER_NAME = env_str("PUBLISHER_NAME", "Claim Tracker")
CLAIMTRACKER_PUBLISHER_URL = env_str("PUBLISHER_URL", "http://127.0.0.1:8000/")
# "Today" for the rule that no status update takes effect in the future: the newsroom's own day,
# so an editor in Kyiv can record tonight's verdict before midnight UTC. Defaults to TIME_ZONE.
CLAIMTRACKER_NEWSROOM_TIME_ZONE = env_time_zone("NEWSROOM_TIME_ZONE", TIME_ZONE)
# A second pair of eyes: a verdict (any status but a scale's "not yet rated") waits for approval by
# another editor before it is published. Off by default in development; turn it on in production.
CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = env_bool("REQUIRE_VERDICT_APPROVAL", default=False)
# A claim with no status update for this many days counts as stale in the admin filter.
CLAIMTRACKER_STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 90, minimum=1)

# How many proxies of ours sit in front of the app (load balancer, CDN, nginx). Throttles, login
# lockouts and logs take the client's address from the X-Forwarded-For entry the outermost of them
# appended; with 0, from the connection itself. Never more than are really there.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Partner API (api/): keys instead of sessions, reads open to all, writes for editors' keys.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnlyUnlessEditorKey"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle", "api.throttling.ApiKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env_str("API_ANONYMOUS_RATE", "60/minute"),
        "api_key": env_str("API_KEY_RATE", "1200/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim Tracker API",
    "DESCRIPTION": "Claims made by public figures and how each claim's status changed over time.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Three models have a "kind" field with different choices: one named enum each.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.ClaimKind",
        "PersonKindEnum": "people.models.PersonKind",
        "SourceKindEnum": "claims.models.SourceKind",
        # Every `<text>_language` field: one enum of the languages texts are given in.
        "LanguageEnum": [code for code, _name in LANGUAGES],
    },
    # For validators, linters and client generators (see docs/api.md, "The contract").
    "CONTACT": {"name": "The publisher's editors", "url": CLAIMTRACKER_PUBLISHER_URL},
    # The data's terms are each newsroom's to set (DATA_LICENSE_NAME / DATA_LICENSE_URL), e.g. CC BY 4.0.
    "LICENSE": {
        "name": env_str("DATA_LICENSE_NAME", "Terms set by the publisher"),
        "url": env_str("DATA_LICENSE_URL", CLAIMTRACKER_PUBLISHER_URL),
    },
    "SERVERS": [{"url": "/", "description": "This site: the API is under /api/v1/."}],
    "TAGS": [
        {"name": "claims", "description": "Claims, their timelines, status updates and the CSV export."},
        {"name": "claimreview", "description": "schema.org ClaimReview JSON-LD of rated claims."},
        {"name": "changes", "description": "The change feed, for keeping a mirror in sync."},
        {"name": "people", "description": "People and organisations with published claims."},
        {"name": "sources", "description": "Sources cited by published claims."},
        {"name": "statuses", "description": "The two rating scales."},
        {"name": "terms", "description": "Terms of office of the people whose claims are tracked."},
        {
            "name": "scorecards",
            "description": "How the pledges of the tracker, a topic, a person or a term stand, now or as of a day, "
            "and week by week.",
        },
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess_schema",
    ],
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

LOGIN_URL = "admin:login"

# Sent on every response: public pages, the admin and the API. Scripts only from our own
# files, never inline; styles may be inline (status badges carry their colour in a style
# attribute, and the admin uses a few style elements). No page may be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out a user name from an address after repeated failed logins, for a cool-off period.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "claimtracker.client_address.client_address"
AXES_VERBOSE = False
# Superusers must use an authenticator app (TOTP) to reach the admin when this is on.
CLAIMTRACKER_REQUIRE_2FA_FOR_SUPERUSERS = env_bool("REQUIRE_2FA_FOR_SUPERUSERS", default=False)
OTP_TOTP_ISSUER = env_str("PUBLISHER_NAME", "Claim Tracker")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
}

# Partner webhooks (webhooks/, docs/api.md): sent by `manage.py deliver_webhooks`, never by a request.
# Absolute links in webhook bodies and oEmbed answers start with this address.
CLAIMTRACKER_SITE_URL = env_str("SITE_URL", CLAIMTRACKER_PUBLISHER_URL)
# Plain http:// endpoints on 127.0.0.1/localhost, for development and tests only.
WEBHOOKS_ALLOW_INSECURE_LOCALHOST = env_bool("WEBHOOKS_ALLOW_INSECURE_LOCALHOST", default=False)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 5, minimum=1)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8, minimum=1)
# Retry n waits BACKOFF × 2^(n−1) seconds, at most BACKOFF_MAX, plus up to 20% jitter.
WEBHOOKS_BACKOFF_SECONDS = env_int("WEBHOOKS_BACKOFF_SECONDS", 30, minimum=1)
WEBHOOKS_BACKOFF_MAX_SECONDS = env_int("WEBHOOKS_BACKOFF_MAX_SECONDS", 6 * 3600, minimum=1)
WEBHOOKS_POLL_SECONDS = env_int("WEBHOOKS_POLL_SECONDS", 2, minimum=1)
# After a secret is rotated, deliveries carry both signatures this long, so partners can switch over.
WEBHOOKS_SECRET_OVERLAP_HOURS = env_int("WEBHOOKS_SECRET_OVERLAP_HOURS", 24, minimum=1)

# Spreadsheet imports (imports/): files larger than this, or with more rows, are refused.
IMPORTS_MAX_BYTES = env_int("IMPORTS_MAX_BYTES", 5_000_000, minimum=1)
IMPORTS_MAX_ROWS = env_int("IMPORTS_MAX_ROWS", 5000, minimum=1)
# Files with at least this many rows stream a page that shows the import's progress.
IMPORTS_PROGRESS_ROWS = env_int("IMPORTS_PROGRESS_ROWS", 200, minimum=1)

# Readers' tips and email alerts (readers/, docs/readers.md). Email goes out through an outbox sent
# by `manage.py send_reader_email`, never inside a request.
# The sender and the mail server: SMTP in production (docs/deploy.md), the console in development.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: STARTTLS on 587, or TLS from the start on 465."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{CLAIMTRACKER_PUBLISHER_NAME} <alerts@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A resolved tip keeps the reader's name and address this long; sent emails are deleted after it.
READERS_RETENTION_DAYS = env_int("READERS_RETENTION_DAYS", 90, minimum=1)
# A subscription's confirmation link works this long; unconfirmed subscriptions are deleted after it.
READERS_CONFIRMATION_HOURS = env_int("READERS_CONFIRMATION_HOURS", 48, minimum=1)
# Forms sent faster than this after the page was served are refused as automated.
READERS_FORM_MIN_SECONDS = env_int("READERS_FORM_MIN_SECONDS", 3, minimum=0)
# Per client address and hour, counted in the shared cache (so across app servers with REDIS_URL).
READERS_TIPS_PER_HOUR = env_int("READERS_TIPS_PER_HOUR", 5, minimum=1)
READERS_SUBSCRIPTIONS_PER_HOUR = env_int("READERS_SUBSCRIPTIONS_PER_HOUR", 5, minimum=1)
# Confirmation and manage-link emails to one address per day, whoever asks: no mail-bombing through us.
READERS_EMAILS_PER_ADDRESS_PER_DAY = env_int("READERS_EMAILS_PER_ADDRESS_PER_DAY", 3, minimum=1)
# Daily digests go out from this hour (NEWSROOM_TIME_ZONE); weekly ones on Mondays from it.
READERS_DIGEST_HOUR = env_int("READERS_DIGEST_HOUR", 7, minimum=0)
if READERS_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"READERS_DIGEST_HOUR must be an hour from 0 to 23; got {READERS_DIGEST_HOUR}.")
READERS_EMAIL_MAX_ATTEMPTS = env_int("READERS_EMAIL_MAX_ATTEMPTS", 8, minimum=1)
READERS_POLL_SECONDS = env_int("READERS_POLL_SECONDS", 5, minimum=1)

# An HTTP accelerator in front (docs/deploy.md, "An HTTP accelerator: Varnish with xkey"). Shareable
# answers name what they show in this header (claimtracker/cache_tags.py): "xkey" for Varnish,
# "Surrogate-Key" for Fastly, "Cache-Tag" for Cloudflare.
_tags_header = env_str("EDGE_CACHE_TAGS_HEADER", "xkey")
EDGE_CACHE_TAGS_HEADER = next(
    (name for name in ("xkey", "Surrogate-Key", "Cache-Tag") if name.lower() == _tags_header.lower()), ""
)
if not EDGE_CACHE_TAGS_HEADER:
    raise ImproperlyConfigured(
        f"EDGE_CACHE_TAGS_HEADER must be xkey, Surrogate-Key or Cache-Tag; got {_tags_header!r}."
    )
# Seconds an edge cache may keep a tagged answer (s-maxage), since every write purges what it shows;
# 0 leaves pages at their max-age of 5 minutes and the API unkept. Browsers keep pages 5 minutes either way.
EDGE_CACHE_MAX_AGE = env_int("EDGE_CACHE_MAX_AGE", 0, minimum=0)
# Where the purge worker (manage.py purge_edge_cache) sends `PURGE /` with the tags of each write:
# every Varnish node, e.g. http://127.0.0.1:6081/. Empty: purges are marked done unsent.
EDGE_CACHE_PURGE_URLS = env_list("EDGE_CACHE_PURGE_URLS")
for _url in EDGE_CACHE_PURGE_URLS:
    if not _url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"EDGE_CACHE_PURGE_URLS must list http:// or https:// addresses; got {_url!r}.")
EDGE_CACHE_PURGE_TIMEOUT_SECONDS = env_int("EDGE_CACHE_PURGE_TIMEOUT_SECONDS", 3, minimum=1)
# Tries before a purge is marked failed (admins see it, and can queue it again).
EDGE_CACHE_PURGE_MAX_ATTEMPTS = env_int("EDGE_CACHE_PURGE_MAX_ATTEMPTS", 10, minimum=1)
# The purge worker's pause between passes: the longest a write waits for its purge.
_poll = env_str("EDGE_CACHE_POLL_SECONDS", "1")
try:
    EDGE_CACHE_POLL_SECONDS = float(_poll)
except ValueError:
    raise ImproperlyConfigured(f"EDGE_CACHE_POLL_SECONDS must be a number of seconds; got {_poll!r}.") from None
if not 0 < EDGE_CACHE_POLL_SECONDS <= 3600:
    raise ImproperlyConfigured(f"EDGE_CACHE_POLL_SECONDS must be above 0 and at most 3600; got {_poll!r}.")
