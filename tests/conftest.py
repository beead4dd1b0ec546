import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Hashing with the real algorithm makes each login cost a fraction of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
