"""Every write purges exactly what it shows on, from a worker (edgecache/): the tags of each logged
change, one purge per change, sent as ``PURGE /`` with ``xkey-purge`` to every node, retried with
backoff, and failed ones visible to admins, who queue them again. Sent here to a stub node in the
test process; tests/test_edge_cache_varnish.py sends them to a real Varnish."""

from __future__ import annotations

import datetime
import io
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import ChangeKind, Claim, ClaimChange, Status
from edgecache import purge
from edgecache.models import Purge, PurgeCursor, PurgeState
from edgecache.tags import tags_for_change
from people.models import Term
from people.services import person_save, term_save
from tests import factories
from tests.api_support import published_claim, record

pytestmark = pytest.mark.django_db


@dataclass
class Node:
    """A stub accelerator node: records each PURGE's tags, answers ``answers`` in turn, then 200."""

    url: str = ""
    purged: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    def tags(self) -> set[str]:
        return {tag for header in self.purged for tag in header.split()}


def _serve(state: Node) -> Iterator[Node]:
    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self) -> None:
            code = state.answers.pop(0) if state.answers else 200
            if code == 200:
                state.purged.append(self.headers["xkey-purge"])
                state.user_agents.append(self.headers["User-Agent"])
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def node(settings) -> Iterator[Node]:
    for state in _serve(Node()):
        settings.EDGE_CACHE_PURGE_URLS = [state.url]
        settings.EDGE_CACHE_PURGE_TIMEOUT_SECONDS = 2
        yield state


@pytest.fixture
def second_node(node, settings) -> Iterator[Node]:
    for state in _serve(Node()):
        settings.EDGE_CACHE_PURGE_URLS = [node.url, state.url]
        yield state


def worker_pass() -> int:
    purge.fan_out()
    return purge.send_due()


def caught_up() -> None:
    """Read everything recorded so far, so that a test sees only the purges of what it does next."""
    while purge.fan_out() == purge.FAN_OUT_BATCH:
        pass
    Purge.objects.all().delete()


def last_change(claim: Claim) -> ClaimChange:
    return ClaimChange.objects.filter(claim=claim).latest("pk")


# --- Which tags a change affects ------------------------------------------------------------------


def test_a_status_update_purges_the_claim_its_claimant_and_the_lists():
    mayor = factories.PersonFactory(slug="ada-mayor")
    claim = published_claim(claimant=mayor, slug="ten-bridges")
    record(claim, "kept")

    change = last_change(claim)
    assert change.kind == ChangeKind.STATUS_RECORDED
    assert tags_for_change(change) == {"claim:ten-bridges", f"claim-id:{claim.pk}", "person:ada-mayor", "lists"}


def test_a_component_purges_its_plan_too_and_a_plan_edit_reaches_each_component():
    ministry = factories.PersonFactory(slug="ministry")
    plan = published_claim(claimant=ministry, kind="plan", slug="roads-plan", summary="Roads plan")
    component = published_claim(claimant=ministry, slug="fix-bridges", summary="Fix bridges", parent=plan)
    record(component, "kept")
    assert tags_for_change(last_change(component)) >= {
        "claim:fix-bridges",
        f"claim-id:{component.pk}",
        "claim:roads-plan",
        f"claim-id:{plan.pk}",
    }

    caught_up()
    plan.summary = "The national roads plan"
    services.claim_save(claim=plan, saved_by=factories.EditorFactory())
    purge.fan_out()

    purged = {tag for item in Purge.objects.all() for tag in item.tags.split()}
    # claims.services logs an edit of each component with the plan's: its page shows the plan.
    assert {"claim:roads-plan", "claim:fix-bridges", f"claim-id:{component.pk}"} <= purged


def test_a_persons_rename_purges_their_pages_under_the_old_and_the_new_address():
    mayor = factories.PersonFactory(slug="ada-mayor")
    claims = [published_claim(claimant=mayor, slug=f"pledge-{n}", summary=f"Pledge {n}") for n in range(2)]
    caught_up()

    mayor.slug = "ada-lovelace"
    person_save(person=mayor, saved_by=factories.EditorFactory())
    purge.fan_out()

    purges = list(Purge.objects.order_by("pk"))
    assert [item.change.claim for item in purges if item.change] == claims
    for item, claim in zip(purges, claims, strict=True):
        assert {"person:ada-mayor", "person:ada-lovelace", f"claim:{claim.slug}"} <= set(item.tags.split())


def test_a_claims_new_address_purges_the_old_one_too():
    claim = published_claim(slug="old-address")
    claim.slug = "new-address"
    services.claim_save(claim=claim, saved_by=factories.EditorFactory())

    assert {"claim:old-address", "claim:new-address"} <= tags_for_change(last_change(claim))


def test_a_pledge_of_a_term_purges_the_terms_pages():
    mayor = factories.PersonFactory()
    term = Term.objects.create(person=mayor, office="Mayor", starts_on=datetime.date(2020, 1, 1))
    claim = published_claim(claimant=mayor, term=term)
    record(claim, "in-the-works")

    assert f"term:{term.pk}" in tags_for_change(last_change(claim))


def test_a_withdrawal_purges_the_claim_and_a_drafts_changes_purge_nothing():
    claim = published_claim(slug="to-withdraw")
    services.claim_set_visibility(
        claim=claim, visibility="withdrawn", changed_by=factories.EditorFactory(), reason="Misattributed."
    )
    assert last_change(claim).kind == ChangeKind.WITHDRAWN
    assert "claim:to-withdraw" in tags_for_change(last_change(claim))

    draft = published_claim(slug="a-draft", visibility="draft")
    draft.summary = "Still a draft"
    services.claim_save(claim=draft, saved_by=factories.EditorFactory())
    assert tags_for_change(last_change(draft)) == set()


# --- Fan-out ----------------------------------------------------------------------------------------


def test_fan_out_stores_one_purge_per_public_change_once():
    caught_up()
    first = published_claim(summary="First")
    record(first, "kept")
    published_claim(summary="A draft", visibility="draft")

    assert purge.fan_out() == 3
    assert purge.fan_out() == 0

    purges = list(Purge.objects.order_by("pk"))
    assert [(item.change.kind, item.state) for item in purges] == [
        (ChangeKind.CREATED, PurgeState.PENDING),
        (ChangeKind.STATUS_RECORDED, PurgeState.PENDING),
    ]
    assert PurgeCursor.objects.get().last_change_id == ClaimChange.objects.latest("pk").pk


def test_an_idle_pass_takes_no_lock_and_writes_nothing(node):
    record(published_claim(), "kept")
    worker_pass()

    with CaptureQueriesContext(connection) as queries:
        worker_pass()

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")) or "FOR UPDATE" in query["sql"]
    ]
    assert writes == []


def test_a_change_to_a_status_or_a_topic_purges_the_whole_site_and_to_a_term_its_pages():
    caught_up()
    status = Status.objects.get(scale="promise", slug="kept")
    status.meaning = "Done as promised."
    services.status_save(status=status, saved_by=factories.EditorFactory())
    purge.fan_out()
    assert [item.tags for item in Purge.objects.all()] == ["site"]

    caught_up()
    topic = factories.TopicFactory()
    topic.name = "Renamed"
    services.topic_save(topic=topic)
    purge.fan_out()
    assert [item.tags for item in Purge.objects.all()] == ["site"]

    caught_up()
    term = Term(person=factories.PersonFactory(), office="Mayor", starts_on=datetime.date(2020, 1, 1))
    term_save(term=term)
    purge.fan_out()
    assert [item.tags for item in Purge.objects.all()] == [f"lists term:{term.pk}"]


# --- Sending ----------------------------------------------------------------------------------------


def test_due_purges_go_to_every_node_as_one_purge_of_all_their_tags(node, second_node):
    caught_up()
    one = published_claim(slug="one", claimant=factories.PersonFactory(slug="someone"))
    two = published_claim(slug="two", claimant=factories.PersonFactory(slug="someone-else"))

    assert worker_pass() == 2

    for each in (node, second_node):
        assert len(each.purged) == 1
        assert each.tags() == {
            "claim:one",
            "claim:two",
            f"claim-id:{one.pk}",
            f"claim-id:{two.pk}",
            "person:someone",
            "person:someone-else",
            "lists",
        }
        assert each.user_agents == [purge.USER_AGENT]
    assert set(Purge.objects.values_list("state", "attempts", "last_error")) == {(PurgeState.DONE, 1, "")}
    assert all(item.done_at is not None for item in Purge.objects.all())
    assert worker_pass() == 0


def test_many_tags_are_split_over_requests_that_fit_in_a_header(node):
    caught_up()
    Purge.objects.bulk_create([Purge(tags=f"claim:a-rather-long-claim-address-number-{n}") for n in range(300)])

    assert purge.send_due() == 300

    assert len(node.purged) > 1
    assert all(len(header) <= purge.MAX_TAGS_PER_REQUEST for header in node.purged)
    assert len(node.tags()) == 300


def test_without_nodes_purges_are_done_unsent(settings):
    settings.EDGE_CACHE_PURGE_URLS = []
    record(published_claim(), "kept")

    worker_pass()

    assert set(Purge.objects.values_list("state", flat=True)) == {PurgeState.DONE}


def test_a_leased_purge_is_left_to_the_worker_holding_it(node):
    caught_up()
    Purge.objects.create(tags="lists", next_attempt_at=timezone.now() + datetime.timedelta(seconds=60))

    assert purge.send_due() == 0
    assert node.purged == []


def test_a_refused_purge_is_retried_with_backoff_then_done(node):
    caught_up()
    node.answers = [503]
    record(published_claim(), "kept")

    before = timezone.now()
    assert worker_pass() == 0
    item = Purge.objects.get(change__kind=ChangeKind.STATUS_RECORDED)
    assert (item.state, item.attempts) == (PurgeState.PENDING, 1)
    assert item.last_error == f"{purge.node_name(node.url)}: HTTP 503"
    assert item.next_attempt_at >= before + datetime.timedelta(seconds=purge.BACKOFF_SECONDS)

    assert purge.send_due() == 0  # Not due yet.
    Purge.objects.update(next_attempt_at=timezone.now())
    assert purge.send_due() == 2
    item.refresh_from_db()
    assert (item.state, item.attempts, item.last_error) == (PurgeState.DONE, 2, "")


def test_backoff_doubles_up_to_its_cap():
    delays = [purge.backoff(attempts).total_seconds() for attempts in (1, 2, 3, 20)]

    assert purge.BACKOFF_SECONDS <= delays[0] <= purge.BACKOFF_SECONDS * 1.2
    assert 2 * purge.BACKOFF_SECONDS <= delays[1] <= 2 * purge.BACKOFF_SECONDS * 1.2
    assert 4 * purge.BACKOFF_SECONDS <= delays[2] <= 4 * purge.BACKOFF_SECONDS * 1.2
    assert purge.BACKOFF_MAX_SECONDS <= delays[3] <= purge.BACKOFF_MAX_SECONDS * 1.2


def unused_address() -> str:
    """An address on 127.0.0.1 whose port was free a moment ago: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def a_failed_purge(settings) -> Purge:
    """A purge to a node nobody listens on, tried EDGE_CACHE_PURGE_MAX_ATTEMPTS times."""
    settings.EDGE_CACHE_PURGE_MAX_ATTEMPTS = 2
    settings.EDGE_CACHE_PURGE_TIMEOUT_SECONDS = 1
    settings.EDGE_CACHE_PURGE_URLS = [unused_address()]
    caught_up()
    item = Purge.objects.create(tags="claim:nowhere lists")
    purge.send_due()
    Purge.objects.update(next_attempt_at=timezone.now())
    purge.send_due()
    item.refresh_from_db()
    return item


def test_after_its_last_attempt_a_purge_is_failed_and_admins_see_it_and_queue_it_again(a_failed_purge, client, node):
    assert (a_failed_purge.state, a_failed_purge.attempts) == (PurgeState.FAILED, 2)
    assert a_failed_purge.last_error.endswith(": could not connect")
    chief = factories.UserFactory(username="chief")
    chief.groups.add(Group.objects.get(name="Admins"))
    client.force_login(chief)

    listing = client.get(reverse("admin:edgecache_purge_changelist"), {"state__exact": "failed"})
    assert listing.status_code == 200
    assert "claim:nowhere lists" in listing.content.decode()
    assert "could not connect" in listing.content.decode()

    client.post(
        reverse("admin:edgecache_purge_changelist"),
        {"action": "retry", "_selected_action": [a_failed_purge.pk]},
    )
    a_failed_purge.refresh_from_db()
    assert (a_failed_purge.state, a_failed_purge.attempts, a_failed_purge.last_error) == (PurgeState.PENDING, 0, "")

    assert purge.send_due() == 1
    assert node.tags() == {"claim:nowhere", "lists"}


def test_editors_see_no_purges(editor_client):
    assert editor_client.get(reverse("admin:edgecache_purge_changelist")).status_code == 403


def test_the_worker_command_does_one_pass_with_once(node):
    caught_up()
    claim = published_claim(slug="by-the-command")
    output = io.StringIO()

    call_command("purge_edge_cache", "--once", stdout=output)

    assert "Read 1 changes, purged 1." in output.getvalue()
    assert "claim:by-the-command" in node.tags()
    assert Purge.objects.get().change.claim == claim


def test_done_purges_are_pruned_after_a_week_and_failed_ones_kept():
    caught_up()
    old = timezone.now() - purge.DONE_KEPT - datetime.timedelta(hours=1)
    Purge.objects.create(tags="lists", state=PurgeState.DONE, done_at=old, created_at=old)
    kept = Purge.objects.create(tags="lists", state=PurgeState.DONE, done_at=timezone.now())
    failed = Purge.objects.create(tags="lists", state=PurgeState.FAILED, created_at=old)

    assert purge.prune() == 1
    assert set(Purge.objects.all()) == {kept, failed}


def test_the_cursor_starts_where_the_record_ended_when_the_app_was_added():
    from importlib import import_module

    from django.apps import apps

    caught_up()
    record(published_claim(), "kept")
    PurgeCursor.objects.all().delete()

    import_module("edgecache.migrations.0003_cursor_starts_now").start_now(apps, None)

    assert PurgeCursor.objects.get().last_change_id == ClaimChange.objects.latest("pk").pk
    assert purge.fan_out() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="read replicas are PostgreSQL standbys")
def test_with_read_replicas_a_pass_first_waits_for_them_to_replay_the_writes(monkeypatch, node):
    # The primary stands in for a replica: it is no standby (no replay position), so it has everything.
    monkeypatch.setattr(purge, "replica_aliases", lambda: ("default",))
    assert purge._replicas_caught_up(timeout=1)

    monkeypatch.setattr(purge, "_replicas_caught_up", lambda: False)
    caught_up()
    Purge.objects.create(tags="lists")
    assert purge.send_due() == 0
    assert Purge.objects.get().last_error == purge.ERROR_REPLICA
    assert node.purged == []
