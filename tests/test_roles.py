"""Each role can do its work and nothing past it, in the admin and through the API."""

import pytest
from django.urls import reverse

from api.keys import api_key_create
from claims.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def status_of(client, url, method="get", data=None) -> int:
    return getattr(client, method)(url, data or {}).status_code


def test_a_viewer_reads_content_but_changes_nothing(client):
    claim = factories.ClaimFactory()
    client.force_login(factories.ViewerFactory())
    assert status_of(client, reverse("admin:claims_claim_changelist")) == 200
    assert status_of(client, reverse("admin:claims_claim_change", args=[claim.pk])) == 200
    assert status_of(client, reverse("admin:claims_claim_add")) == 403
    assert status_of(client, reverse("admin:people_person_add")) == 403
    assert status_of(client, reverse("admin:claims_source_add")) == 403
    assert status_of(client, reverse("admin:auth_user_changelist")) == 403
    assert status_of(client, reverse("admin:api_apikey_changelist")) == 403


def test_an_editor_edits_content_but_not_users_keys_or_the_scales(client):
    client.force_login(factories.EditorFactory())
    kept = Status.objects.get(scale="promise", slug="kept")
    assert status_of(client, reverse("admin:claims_claim_add")) == 200
    assert status_of(client, reverse("admin:people_person_add")) == 200
    assert status_of(client, reverse("admin:claims_source_add")) == 200
    assert status_of(client, reverse("admin:auth_user_changelist")) == 403
    assert status_of(client, reverse("admin:auth_user_add")) == 403
    assert status_of(client, reverse("admin:api_apikey_changelist")) == 403
    assert status_of(client, reverse("admin:claims_status_add")) == 403
    response = client.post(reverse("admin:claims_status_change", args=[kept.pk]), {"label_en": "Done"})
    assert response.status_code == 403
    kept.refresh_from_db()
    assert kept.label == "Kept"


def test_an_admin_manages_users_keys_and_the_scales_but_does_not_delete(client, admin_user):
    client.force_login(admin_user)
    claim = factories.ClaimFactory()
    assert status_of(client, reverse("admin:auth_user_changelist")) == 200
    assert status_of(client, reverse("admin:api_apikey_add")) == 200
    assert status_of(client, reverse("admin:claims_status_add")) == 200
    assert status_of(client, reverse("admin:claims_claim_delete", args=[claim.pk]), "post", {"post": "yes"}) == 403


def test_an_admin_cannot_make_anyone_a_superuser_or_edit_a_superuser(client, admin_user):
    client.force_login(admin_user)
    editor = factories.EditorFactory()
    superuser = factories.SuperuserFactory()
    page = client.get(reverse("admin:auth_user_change", args=[editor.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert status_of(client, reverse("admin:auth_user_change", args=[superuser.pk]), "post", {"username": "x"}) == 403
    assert (
        status_of(client, reverse("admin:auth_user_password_change", args=[superuser.pk]), "post", {"password1": "x"})
        == 403
    )
    superuser.refresh_from_db()
    assert superuser.username != "x"


def api_write(client, key: str | None, claim) -> int:
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "in-the-works",
            "effective_on": claim.made_on.isoformat(),
            "rationale": "Talks began.",
            "evidence": [{"url": "https://news.example.org/talks", "title": "Talks began"}],
        },
        content_type="application/json",
        **headers,
    ).status_code


@pytest.mark.parametrize(
    ("owner_factory", "expected"),
    [
        (None, 401),
        (factories.ViewerFactory, 403),
        (factories.UserFactory, 403),
        (factories.EditorFactory, 201),
    ],
    ids=["anonymous", "viewer", "staff without a role", "editor"],
)
def test_only_writers_keys_may_write_through_the_api(client, owner_factory, expected):
    claim = factories.ClaimFactory()
    key = api_key_create(name="Partner", owner=owner_factory())[1] if owner_factory else None
    assert api_write(client, key, claim) == expected


def test_an_admins_key_may_write_through_the_api(client, admin_user):
    claim = factories.ClaimFactory()
    _, key = api_key_create(name="Desk", owner=admin_user)
    assert api_write(client, key, claim) == 201
