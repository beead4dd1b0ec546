"""Removed status updates leave a dated note; verdicts awaiting approval appear nowhere public;
an approved verdict names its approver."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from claims import services
from claims.models import Claim, StatusUpdate
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    PersonFactory,
    SourceFactory,
    SuperuserFactory,
    rate,
    record_status,
    status_on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    person = PersonFactory(slug="ada-mayor", name="Ada Mayor")
    return ClaimFactory(claimant=person, slug="homes", summary="Build homes")


@pytest.fixture
def editor():
    return EditorFactory(first_name="Grace", last_name="Reporter")


def entry_html(page: str, update_pk: int) -> str:
    return page.split(f'id="update-{update_pk}"')[1].split("</li>")[0]


def removed_by_court_order(claim: Claim, editor: AbstractBaseUser, **extra: Any) -> StatusUpdate:
    """A "broken" verdict that named a private individual, then removed for a court order."""
    update = rate(claim, "broken", claim.made_on, "Named a private individual.", by=editor, **extra)
    services.status_update_remove(update=update, removed_by=SuperuserFactory(), reason="A court order.")
    return update


def test_a_removed_update_shows_a_dated_note_with_the_reason_instead_of_its_content(client, claim, editor):
    update = removed_by_court_order(claim, editor, evidence=[SourceFactory(title="A private letter")])

    page = client.get("/claims/homes/").content.decode()
    entry = entry_html(page, update.pk)

    today = timezone.localdate()
    assert f'Removed on <time datetime="{today:%Y-%m-%d}">{today.day} {today:%B %Y}</time>: A court order.' in entry
    assert "Named a private individual." not in page
    assert "A private letter" not in page
    assert "Broken" not in entry  # no status badge
    assert "Not yet rated" in page.split('class="status-panel"')[1]  # and it no longer counts


def test_a_removed_update_shows_in_the_feed_as_a_note_only(client, claim, editor):
    removed_by_court_order(claim, editor)

    feed = client.get("/claims/homes/feed/").content.decode()

    assert "Removed: Build homes" in feed
    assert "A court order." in feed
    assert "Named a private individual." not in feed


@pytest.fixture
def awaiting(settings, claim, editor):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    update = record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on,
        rationale="Awaiting a second editor.",
        recorded_by=editor,
    )
    assert update.is_awaiting_approval
    return update


def test_a_verdict_awaiting_approval_appears_nowhere_public(client, claim, awaiting):
    for url in ["/claims/homes/", "/claims/", "/people/ada-mayor/", "/", "/claims/homes/feed/", "/feeds/updates/"]:
        body = client.get(url).content.decode()
        assert "Awaiting a second editor." not in body, url
        assert f"update-{awaiting.pk}" not in body, url
    assert list(client.get("/claims/", {"status": "kept"}).context["claims"]) == []
    counts = {
        (scale.scale, status.slug): status.claim_count
        for scale in client.get("/", headers={"cache-control": "no-cache"}).context["scales"]
        for status in scale.rows
    }
    assert counts[("promise", "kept")] == 0
    assert counts[("promise", "not-yet-rated")] == 1


def test_an_approved_verdict_names_who_approved_it_and_when(client, claim, awaiting):
    approver = EditorFactory(first_name="Lin", last_name="Checker")
    services.status_update_approve(update=awaiting, approved_by=approver)

    page = client.get("/claims/homes/").content.decode()

    today = timezone.localdate()
    assert (
        f'By Grace Reporter, approved by Lin Checker on <time datetime="{today:%Y-%m-%d}">{today.day} {today:%B %Y}</time>'
        in page
    )


def test_an_unapproved_verdict_has_no_approval_line(client, claim, editor):
    record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on + datetime.timedelta(days=1),
        rationale="Done.",
        recorded_by=editor,
    )

    assert "approved by" not in client.get("/claims/homes/").content.decode()
