"""Production settings plus the bench-only anchor view's URL (never used outside `make bench`).

The bench runner sets a test SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0 and a
dedicated DATABASE_URL; everything else is exactly claimtracker.settings.production.
"""

from claimtracker.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
