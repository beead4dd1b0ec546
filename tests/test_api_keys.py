import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from api.keys import api_key_create, api_key_revoke
from api.models import ApiKey
from tests import factories
from tests.api_support import editor_client, error_of

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_only_as_its_sha256_with_a_public_prefix():
    key, raw_key = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())

    assert raw_key.startswith(f"ctk_{key.prefix}_")
    assert len(raw_key) > 40
    assert key.hashed_key == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in {value for value in ApiKey.objects.values_list("prefix", "hashed_key", "name")[0]}


def test_a_partner_authenticates_with_the_authorization_header_or_x_api_key():
    key, raw_key = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())

    assert Client(headers={"Authorization": f"Api-Key {raw_key}"}).get("/api/v1/statuses").status_code == 200
    assert Client(headers={"X-API-Key": raw_key}).get("/api/v1/statuses").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize("header", ["Api-Key ctk_deadbeef_guessed", "Api-Key not-a-key", "Api-Key "])
def test_an_unknown_key_is_a_401_not_anonymous_access(header):
    response = Client(headers={"Authorization": header}).get("/api/v1/claims")

    assert response.status_code == 401
    assert error_of(response)["code"] in {"invalid_api_key", "authentication_failed"}


def test_a_revoked_key_is_refused():
    key, raw_key = api_key_create(name="Old mirror", owner=factories.ViewerFactory())
    api_key_revoke(key=key)

    response = Client(headers={"X-API-Key": raw_key}).get("/api/v1/claims")

    assert response.status_code == 401
    assert error_of(response)["code"] == "revoked_api_key"


def test_a_key_of_a_deactivated_owner_is_refused():
    owner = factories.ViewerFactory()
    raw_key = api_key_create(name="Mirror", owner=owner)[1]
    owner.is_active = False
    owner.save()

    assert Client(headers={"X-API-Key": raw_key}).get("/api/v1/claims").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    key, raw_key = api_key_create(name="Mirror", owner=factories.ViewerFactory())
    partner = Client(headers={"X-API-Key": raw_key})
    partner.get("/api/v1/statuses")
    key.refresh_from_db()
    first_use = key.last_used_at

    # 1 key look-up (owner and Editors membership joined), 1 statuses; no UPDATE of last_used_at.
    with django_assert_num_queries(2):
        partner.get("/api/v1/statuses")
    key.refresh_from_db()
    assert key.last_used_at == first_use

    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    partner.get("/api/v1/statuses")
    key.refresh_from_db()
    assert key.last_used_at > first_use


def test_an_admin_creates_a_key_and_sees_it_once_in_a_message(client):
    admin_user = factories.SuperuserFactory()
    partner = factories.ViewerFactory()
    client.force_login(admin_user)

    response = client.post("/admin/api/apikey/add/", {"name": "Daily Planet mirror", "owner": partner.pk}, follow=True)

    assert response.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(message) for message in get_messages(response.wsgi_request)] or [
        message.message for message in response.context["messages"]
    ]
    raw_key = next(word for text in shown for word in text.split() if word.startswith("ctk_"))
    assert key.hashed_key == hashlib.sha256(raw_key.encode()).hexdigest()
    assert key.owner == partner
    assert raw_key not in client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()


def test_an_admin_revokes_keys_with_the_list_action(client):
    client.force_login(factories.SuperuserFactory())
    key, raw_key = api_key_create(name="Mirror", owner=factories.ViewerFactory())

    client.post("/admin/api/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]})

    key.refresh_from_db()
    assert key.is_revoked
    assert Client(headers={"X-API-Key": raw_key}).get("/api/v1/claims").status_code == 401


def test_the_editor_persona_has_a_working_key():
    editor, _ = editor_client()
    assert editor.get("/api/v1/claims").status_code == 200
