"""Two editors on one record: the second save from a stale form is refused, showing what changed."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors():
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(factories.EditorFactory(username="ana"))
    second.force_login(factories.EditorFactory(username="ben"))
    return first, second


@pytest.mark.parametrize(
    ("make_record", "url_name", "field", "first_value", "second_value"),
    [
        (
            lambda: factories.ClaimFactory(summary="Original"),
            "admin:claims_claim_change",
            "summary_en",
            "Ana's",
            "Ben's",
        ),
        (lambda: factories.PersonFactory(role="Original"), "admin:people_person_change", "role", "Ana's", "Ben's"),
        (lambda: factories.SourceFactory(title="Original"), "admin:claims_source_change", "title", "Ana's", "Ben's"),
    ],
    ids=["claim", "person", "source"],
)
def test_the_second_save_from_the_same_version_is_refused_and_shows_the_first_change(
    two_editors, make_record, url_name, field, first_value, second_value
):
    ana, ben = two_editors
    record = make_record()
    url = reverse(url_name, args=[record.pk])
    ana_form = admin_form_data(ana.get(url))
    ben_form = admin_form_data(ben.get(url))

    assert ana.post(url, {**ana_form, field: first_value}).status_code == 302
    response = ben.post(url, {**ben_form, field: second_value})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "by ana" in page
    assert "Original" in page
    assert first_value.replace("'", "&#x27;") in page
    record.refresh_from_db()
    assert getattr(record, field) == first_value


def test_a_lost_race_after_validation_is_a_message_not_a_crash(client, monkeypatch):
    claim = factories.ClaimFactory(summary="Original")
    client.force_login(factories.EditorFactory())
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = admin_form_data(client.get(url))

    # The form validates against the current version, but by the time of the conditional
    # UPDATE the stored version has moved on (another save committed in between).
    from claimtracker.admin_versioning import VersionedAdminForm

    monkeypatch.setattr(VersionedAdminForm, "started_from_version", lambda self: claim.version - 1)
    response = client.post(url, {**form, "summary_en": "Mine"}, follow=True)

    assert response.status_code == 200
    assert "Your changes were not saved" in response.content.decode()
    claim.refresh_from_db()
    assert claim.summary == "Original"


def test_the_conflict_message_shows_long_old_and_new_values_in_full(two_editors):
    ana, ben = two_editors
    common = "The government will build new affordable homes in every region of the country before "
    claim = factories.ClaimFactory(summary=common + "2027")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    ana_form = admin_form_data(ana.get(url))
    ben_form = admin_form_data(ben.get(url))

    assert ana.post(url, {**ana_form, "summary_en": common + "2029"}).status_code == 302
    page = ben.post(url, {**ben_form, "summary_en": common + "2030"}).content.decode()

    assert f"“{common}2027” → “{common}2029”" in page
