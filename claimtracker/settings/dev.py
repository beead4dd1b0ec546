"""Local development and tests: safe defaults so `make run` and `make test` need no setup."""

from claimtracker.env import env_bool, env_list, env_str
from claimtracker.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", default=True)
# A fixed key is fine here: this module is never used in production, which demands its own.
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
# Serve static files straight from the app folders, with no collectstatic step.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Plain-HTTP webhook endpoints on 127.0.0.1/localhost, for trying partners' receivers locally.
WEBHOOKS_ALLOW_INSECURE_LOCALHOST = env_bool("WEBHOOKS_ALLOW_INSECURE_LOCALHOST", default=True)
# Emails are printed by the worker (manage.py send_reader_email) instead of sent.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
