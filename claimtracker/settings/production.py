"""Production: refuses to start without the settings a public deployment needs."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from claimtracker.env import env_bool, env_int, env_str
from claimtracker.settings.base import *  # noqa: F403
from claimtracker.settings.base import ALLOWED_HOSTS, LOGGING, REST_FRAMEWORK, SECRET_KEY

DEBUG = False

# Every problem at once, so a first deployment is fixed in one pass rather than one per restart.
_problems = []
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "django-insecure")) or len(set(SECRET_KEY)) < 5:
    _problems.append(
        "SECRET_KEY must be set to a long random value (50+ characters), e.g. the output of "
        'python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
if not ALLOWED_HOSTS:
    _problems.append("ALLOWED_HOSTS must list the host names this site is served on, e.g. claims.example.org")
if not env_str("DATABASE_URL"):
    _problems.append(
        "DATABASE_URL must name the production database, e.g. postgres://claimtracker@db.internal:5432/claimtracker"
    )
# The public address is published as the ClaimReview author and in webhook and oEmbed links:
# a development default there would tell search engines and partners the site is 127.0.0.1.
# Addresses a reader's browser cannot reach: refused as the public address, never bound to.
LOCAL_ONLY_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})  # noqa: S104  # nosec B104 - refused as a public address, never bound
_site_url = env_str("SITE_URL")
_site_parts = urlsplit(_site_url)
if _site_parts.scheme not in ("http", "https") or not _site_parts.hostname or _site_parts.hostname in LOCAL_ONLY_HOSTS:
    _problems.append("SITE_URL must be the site's public address, e.g. https://claims.example.org/")
if _problems:
    raise ImproperlyConfigured("\n".join(["Missing or unsafe settings:", *(f"  - {p}" for p in _problems)]))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Partners read JSON; the browsable API is for development only.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# One JSON object per line on stdout, like gunicorn's own logs (gunicorn.conf.py).
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "claimtracker.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
}
