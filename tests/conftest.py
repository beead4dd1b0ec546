import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Hashing with the real algorithm makes each login cost a fraction of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _api_contract(request, monkeypatch):
    """Every request an API test (tests/test_api_*.py) sends must keep to the OpenAPI schema."""
    module = getattr(request.node, "module", None)
    if module is None or not module.__name__.startswith("tests.test_api_"):
        return
    from django.test import Client

    from tests.openapi_contract import check_exchange

    original = Client.request

    def checked(self, **kwargs):
        response = original(self, **kwargs)
        check_exchange(response)
        return response

    monkeypatch.setattr(Client, "request", checked)
