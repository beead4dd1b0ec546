"""Every Atom feed is standard Atom (RFC 4287) that a reader can trust, whatever editors typed.

``atom_problems`` checks what a feed validator checks; ``feedparser`` (pinned in
requirements-dev.txt) reads each feed as a feed reader would, and must not flag it (bozo).
"""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone

from claims import services
from claims.models import Claim, Status, Visibility
from tests.browser.data import FEEDS, build_world
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    PersonFactory,
    SuperuserFactory,
    record_status,
    status_on,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://claims.example/"
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:\S+$")
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> &lt;b&gt;"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.CLAIMTRACKER_SITE_URL = SITE


@pytest.fixture
def world():
    """The public-page world, plus a removed update, a withdrawal with a reason and a verdict awaiting approval."""
    world = build_world()
    editor = EditorFactory(first_name="Ida", last_name="Editor")
    removed = record_status(
        claim=world.statement,
        status=status_on("fact_check", "accurate"),
        effective_on=world.statement.made_on,
        rationale="Named a private individual.",
        recorded_by=editor,
    )
    services.status_update_remove(update=removed, removed_by=SuperuserFactory(), reason="A court order.")
    gone = ClaimFactory(claimant=world.mayor, slug="gone", summary="A misattributed quote")
    record_status(
        claim=gone,
        status=status_on("promise", "kept"),
        effective_on=gone.made_on,
        rationale="Kept before we learnt who said it.",
        recorded_by=editor,
    )
    services.claim_set_visibility(claim=gone, visibility=Visibility.WITHDRAWN, changed_by=editor, reason="Misquoted.")
    world.removed = removed
    return world


def element_text(parent: ET.Element, name: str) -> list[str]:
    return [child.text or "" for child in parent.findall(f"{ATOM}{name}")]


def absolute_iri(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme == "tag":
        return bool(TAG_URI.match(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)


def rfc3339(value: str) -> datetime.datetime | None:
    if not RFC_3339.match(value):
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def atom_problems(body: bytes) -> list[str]:
    """What the W3C feed validator would say about an Atom 1.0 feed, as far as these feeds go."""
    problems = []
    parsed = feedparser.parse(body)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        problems.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    root = ET.fromstring(body)  # noqa: S314 - our own output, generated in this test
    if root.tag != f"{ATOM}feed":
        return [*problems, f"root is {root.tag}"]
    problems += [f"foreign element {el.tag}" for el in root.iter() if not el.tag.startswith(ATOM)]
    for name in ("id", "title", "updated"):
        if len(root.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"the feed needs exactly one {name}")
    problems += [
        f"feed id {value!r} is not an absolute IRI" for value in element_text(root, "id") if not absolute_iri(value)
    ]
    feed_updated = [rfc3339(value) for value in element_text(root, "updated")]
    if None in feed_updated:
        problems.append(f"feed updated {element_text(root, 'updated')} is not an RFC 3339 date")
    links = {(link.get("rel") or "alternate"): link.get("href") for link in root.findall(f"{ATOM}link")}
    if not absolute_iri(links.get("self") or "") or not absolute_iri(links.get("alternate") or ""):
        problems.append(f"the feed needs absolute self and alternate links, has {links}")
    if not root.findall(f"{ATOM}author/{ATOM}name"):
        problems.append("the feed has no author")
    entries = root.findall(f"{ATOM}entry")
    ids = [entry_id for entry in entries for entry_id in element_text(entry, "id")]
    if len(set(ids)) != len(ids):
        problems.append(f"entry ids repeat: {ids}")
    newest = None
    for number, entry in enumerate(entries):
        where = f"entry {number} ({element_text(entry, 'id')})"
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"{where} needs exactly one {name}")
        problems += [
            f"{where}: id {value!r} is not absolute" for value in element_text(entry, "id") if not absolute_iri(value)
        ]
        for name in ("updated", "published"):
            for value in element_text(entry, name):
                if rfc3339(value) is None:
                    problems.append(f"{where}: {name} {value!r} is not an RFC 3339 date")
        updated = [rfc3339(value) for value in element_text(entry, "updated")]
        if updated and updated[0] is not None:
            newest = max(newest or updated[0], updated[0])
        alternates = [link for link in entry.findall(f"{ATOM}link") if (link.get("rel") or "alternate") == "alternate"]
        if len(alternates) != 1 or not absolute_iri(alternates[0].get("href") or ""):
            problems.append(f"{where} needs one absolute alternate link")
        if not entry.findall(f"{ATOM}author/{ATOM}name"):
            problems.append(f"{where} has no author")
        for name in ("title", "summary"):
            for construct in entry.findall(f"{ATOM}{name}"):
                if construct.get("type", "text") != "text" or len(construct):
                    problems.append(f"{where}: {name} is not plain text: type={construct.get('type')}")
    if newest is not None and feed_updated and feed_updated[0] != newest:
        problems.append(f"feed updated {feed_updated[0]} is not the newest entry's {newest}")
    return problems


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid_atom(client, world, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own output
    assert atom_problems(response.content) == []


def test_the_checker_catches_what_a_validator_would(client, world):
    body = client.get("/feeds/updates/").content.decode()

    relative = re.sub(r"<id>tag:[^<]*</id>", "<id>/claims/x/#update-1</id>", body, count=1)
    assert any("is not absolute" in problem for problem in atom_problems(relative.encode()))
    assert any(
        "is not plain text" in problem
        for problem in atom_problems(body.replace('type="text"', 'type="html"', 1).encode())
    )
    assert any(
        "not an RFC 3339" in problem
        for problem in atom_problems(re.sub(r"<updated>[^<]*", "<updated>yesterday", body, count=1).encode())
    )


def test_entry_and_feed_ids_come_from_the_site_address_never_the_host_header(client, settings, world):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    for path in FEEDS:
        root = ET.fromstring(client.get(path, HTTP_HOST="mirror.example").content)  # noqa: S314 - our own output
        ids = [
            *element_text(root, "id"),
            *(i for entry in root.findall(f"{ATOM}entry") for i in element_text(entry, "id")),
        ]
        assert ids, path
        assert all(value.startswith(("tag:claims.example,", SITE)) for value in ids), (path, ids)
        assert "mirror.example" not in "".join(ids), path


def test_an_updates_entry_id_is_a_tag_uri_of_the_update_dated_by_its_publication(client, world):
    root = ET.fromstring(client.get("/claims/build-10000-homes/feed/").content)  # noqa: S314 - our own output
    correction = world.correction
    correction.refresh_from_db()

    ids = [element_text(entry, "id")[0] for entry in root.findall(f"{ATOM}entry")]
    published = correction.published_at.astimezone(datetime.UTC).date()
    assert f"tag:claims.example,{published:%Y-%m-%d}:update-{correction.pk}" in ids


def test_entry_ids_survive_a_new_slug_and_are_the_same_in_every_feed(client, world):
    def ids(path):
        root = ET.fromstring(client.get(path).content)  # noqa: S314 - our own output
        return {element_text(entry, "id")[0] for entry in root.findall(f"{ATOM}entry")}

    before = ids("/claims/build-10000-homes/feed/")
    assert before <= ids("/feeds/updates/")
    assert before <= ids("/people/ada-mayor/feed/")
    Claim.objects.filter(pk=world.pledge.pk).update(slug="ten-thousand-homes", updated_at=timezone.now())

    assert ids("/claims/ten-thousand-homes/feed/") == before


def test_each_entry_is_dated_by_its_own_publication_or_removal_to_the_microsecond(client, world):
    root = ET.fromstring(client.get("/feeds/updates/").content)  # noqa: S314 - our own output
    world.removed.refresh_from_db()

    updated = {
        element_text(entry, "id")[0].rsplit(":", 1)[1]: rfc3339(element_text(entry, "updated")[0])
        for entry in root.findall(f"{ATOM}entry")
    }
    assert updated[f"update-{world.removed.pk}"] == world.removed.removed_at
    world.correction.refresh_from_db()
    assert updated[f"update-{world.correction.pk}"] == world.correction.published_at
    assert len(set(updated.values())) == len(updated)
    assert rfc3339(element_text(root, "updated")[0]) == max(updated.values())


def test_a_feed_without_entries_has_a_fixed_updated_date_not_the_time_of_the_request(client):
    claim = ClaimFactory(slug="quiet", claimant=PersonFactory(slug="quiet-person"))
    claim.refresh_from_db()

    first = client.get("/claims/quiet/feed/").content
    cache.clear()
    assert client.get("/claims/quiet/feed/").content == first
    root = ET.fromstring(first)  # noqa: S314 - our own output
    assert rfc3339(element_text(root, "updated")[0]) == claim.published_at
    assert atom_problems(first) == []


# --- editor text is text ------------------------------------------------------------------------


@pytest.fixture
def hostile_claim():
    editor = EditorFactory(first_name="Eve<b>", last_name=HOSTILE)
    person = PersonFactory(slug="hostile", name=f"Name {HOSTILE}")
    claim = ClaimFactory(claimant=person, slug="hostile", summary=f"Summary {HOSTILE}"[:120], quote=f"Quote {HOSTILE}")
    Status.objects.filter(scale="promise", slug="stalled").update(label="Stalled <i>x</i>")
    first = record_status(
        claim=claim,
        status=status_on("promise", "stalled"),
        effective_on=claim.made_on,
        rationale=f"Rationale {HOSTILE}",
        recorded_by=editor,
    )
    correction = record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on,
        rationale=f"Correction {HOSTILE}",
        recorded_by=editor,
        corrects=first,
    )
    services.status_update_remove(update=correction, removed_by=SuperuserFactory(), reason=f"Removed {HOSTILE}")
    gone = ClaimFactory(claimant=person, slug="hostile-gone")
    services.claim_set_visibility(
        claim=gone, visibility=Visibility.WITHDRAWN, changed_by=None, reason=f"Gone {HOSTILE}"
    )
    return claim


@pytest.mark.parametrize(
    "path", ["/feeds/updates/", "/claims/hostile/feed/", "/people/hostile/feed/", "/corrections/feed/"]
)
def test_hostile_editor_text_reaches_feed_readers_only_as_text(client, hostile_claim, path):
    body = client.get(path).content
    root = ET.fromstring(body)  # noqa: S314 - our own output
    entries = root.findall(f"{ATOM}entry")

    assert entries
    assert [el.tag for el in root.iter() if not el.tag.startswith(ATOM)] == []  # no markup became elements
    for entry in entries:
        for construct in [*entry.findall(f"{ATOM}summary"), *entry.findall(f"{ATOM}title")]:
            assert construct.get("type", "text") == "text"
            assert len(construct) == 0
    for entry in feedparser.parse(body).entries:
        assert entry.summary_detail.type == "text/plain"
        assert entry.title_detail.type == "text/plain"
    summaries = " ".join(text for entry in entries for text in element_text(entry, "summary"))
    assert "<script>alert(1)</script>" in summaries  # the editor's characters, shown as typed
    assert "&lt;b&gt;" in summaries  # an escaped entity stays what it was, not <b>
    assert atom_problems(body) == []


def test_a_control_character_pasted_into_a_rationale_does_not_break_the_feed(client):
    claim = ClaimFactory(slug="pasted")
    record_status(
        claim=claim,
        status=status_on("promise", "in-the-works"),
        effective_on=claim.made_on,
        rationale="Line one\x0bline two\x0c.",
        recorded_by=EditorFactory(),
    )

    response = client.get("/claims/pasted/feed/")

    assert response.status_code == 200
    assert "Line one line two ." in response.content.decode()
    assert atom_problems(response.content) == []


# --- what removed, withdrawn and unapproved records show -----------------------------------------


def test_a_removed_update_is_only_its_dated_note_and_a_withdrawn_claim_only_its_reason(client, world):
    for path in FEEDS:
        body = client.get(path).content.decode()
        assert "Named a private individual." not in body, path
        assert "Kept before we learnt who said it." not in body, path
        assert "A misattributed quote" not in body, path
    updates = ET.fromstring(client.get("/feeds/updates/").content)  # noqa: S314 - our own output
    [removed] = [
        e for e in updates.findall(f"{ATOM}entry") if element_text(e, "id")[0].endswith(f":update-{world.removed.pk}")
    ]
    assert element_text(removed, "title") == ["Removed: Crime has halved since 2020"]
    today = timezone.localdate()
    assert element_text(removed, "summary")[0].startswith(f"Removed on {today.day} {today:%B %Y}: A court order.")
    log = ET.fromstring(client.get("/corrections/feed/").content)  # noqa: S314 - our own output
    withdrawn = log.findall(f"{ATOM}entry")[0]
    assert element_text(withdrawn, "title") == ["Claim withdrawn"]
    assert element_text(withdrawn, "summary") == ["Why: Misquoted."]


def test_a_verdict_awaiting_approval_is_in_no_feed(client, settings, world):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    awaiting = record_status(
        claim=world.pledge,
        status=status_on("promise", "kept"),
        effective_on=world.pledge.made_on,
        rationale="Awaiting a second editor.",
        recorded_by=EditorFactory(),
        corrects=world.correction,
    )
    assert awaiting.is_awaiting_approval

    for path in FEEDS:
        body = client.get(path).content.decode()
        assert "Awaiting a second editor." not in body, path
        assert f"update-{awaiting.pk}" not in body, path


def test_a_correction_later_removed_leaves_its_verdict_and_rationale_out_of_the_log(client, world):
    services.status_update_remove(update=world.correction, removed_by=SuperuserFactory(), reason="Legal advice.")

    for path in ["/corrections/feed/", "/corrections/"]:
        body = client.get(path).content.decode()
        assert "it is stalled, not broken" not in body, path
        assert "Status corrected from Broken to Stalled" not in body, path
        assert "Status corrected; the correction was later removed" in body, path
        assert "Legal advice." in body, path
