"""Readers' email sent exactly once by real worker processes (``manage.py send_reader_email``).

The workers run on a scratch database of the suite's kind (tests/scratch_databases.py) and send
over SMTP to a server in the test process (tests/smtp_sink.py), which takes a little time over
each message and counts it only once it has answered 250, as a real mail server does. A worker
killed in the middle of a message leaves it leased; a new worker sends everything else at once,
and that message when the lease runs out: each email arrives once. On PostgreSQL two workers
share one outbox (``FOR UPDATE SKIP LOCKED``) and still send each email once.

The lease is ``readers.mail.lease_seconds()``, EMAIL_TIMEOUT * 3 + 30 seconds: the workers run with
EMAIL_TIMEOUT=1 (read from the environment by the settings), the shortest it can be, so a test
waits about 33 s for it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytest.importorskip("aiosmtpd", reason="aiosmtpd (requirements-dev.txt) is the SMTP server the workers send to")

from tests.scratch_databases import REPO, run_manage, scratch_database
from tests.smtp_sink import SmtpSink, running_sink

EMAILS = 30
SMTP_DELAY = 0.15
EMAIL_TIMEOUT = 1
LEASE_SECONDS = EMAIL_TIMEOUT * 3 + 30  # readers.mail.lease_seconds() in the workers

QUEUE_EMAILS = """
from django.db import transaction
from readers import mail
from readers.models import EmailPurpose, OutgoingEmail
with transaction.atomic():
    OutgoingEmail.objects.all().delete()
    for index in range({count}):
        mail.queue(
            to=f"reader{{index}}@example.org",
            purpose=EmailPurpose.MANAGE_LINK,
            subject=f"Your alerts, email {{index}}",
            text=f"Email {{index}}: manage your alerts.",
            html=f"<p>Email {{index}}: manage your alerts.</p>",
            dedupe_key=f"worker-test:{{index}}",
        )
"""

OUTBOX = """
import json
from readers.models import OutgoingEmail
print(json.dumps({e.message_id: [e.state, e.attempts] for e in OutgoingEmail.objects.all()}))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The environment of a process using a migrated scratch database (not the test runner's)."""
    with scratch_database(tmp_path_factory.mktemp("reader-email")) as env:
        run_manage(env, "migrate", "--no-input", "-v", "0")
        yield env


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with running_sink(delay=SMTP_DELAY) as server:
        yield server


@pytest.fixture
def worker_env(migrated, sink) -> dict[str, str]:
    return {
        **migrated,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "PYTHONUNBUFFERED": "1",
    }


class Workers:
    """``send_reader_email`` processes, each in its own process group (a SIGKILL takes all of it)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.started = env, logs, []

    def start(self) -> subprocess.Popen:
        log = self.logs / f"worker-{len(self.started)}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "send_reader_email", "--sleep", "0.1", "--verbosity", "2"],
                cwd=REPO,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process.log = log  # type: ignore[attr-defined]
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM: the worker finishes the email in hand and exits."""
        os.killpg(process.pid, signal.SIGTERM)
        return process.wait(timeout=30)

    def output(self, process: subprocess.Popen) -> str:
        return process.log.read_text()  # type: ignore[attr-defined]

    def wait_until_polling(self, process: subprocess.Popen, timeout: float = 60) -> None:
        """Until the worker has done a pass (it prints one line per pass with --verbosity 2)."""
        deadline = time.monotonic() + timeout
        while "sent 0 emails" not in self.output(process):
            assert process.poll() is None, f"The worker exited:\n{self.output(process)[-3000:]}"
            assert time.monotonic() < deadline, f"The worker never polled:\n{self.output(process)[-3000:]}"
            time.sleep(0.05)

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def workers(worker_env, tmp_path) -> Iterator[Workers]:
    started = Workers(worker_env, tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def queue_emails(env: dict[str, str]) -> None:
    run_manage(env, "shell", "-v", "0", "-c", QUEUE_EMAILS.format(count=EMAILS))


def outbox(env: dict[str, str]) -> dict[str, list]:
    """Every queued email's Message-ID -> [state, attempts]."""
    return json.loads(run_manage(env, "shell", "-v", "0", "-c", OUTBOX).stdout.strip().splitlines()[-1])


def wait_until_all_sent(sink: SmtpSink, env: dict[str, str], *, timeout: float) -> dict[str, list]:
    sink.wait_until(lambda s: len(s.received) >= EMAILS, timeout=timeout, what=f"{EMAILS} emails")
    deadline = time.monotonic() + 30
    while True:  # the worker marks an email sent just after the server's 250
        rows = outbox(env)
        if all(state == "sent" for state, _attempts in rows.values()) or time.monotonic() > deadline:
            return rows


def test_a_worker_killed_in_the_middle_of_an_email_leaves_each_email_sent_exactly_once(worker_env, sink, workers):
    before_the_crash = 8
    sink.hold_after = before_the_crash  # the next message waits, unanswered, until the worker is killed
    queue_emails(worker_env)

    first = workers.start()
    sink.wait_until(
        lambda s: len(s.received) == before_the_crash and len(s.in_progress) == 1,
        timeout=60,
        what=f"{before_the_crash} emails accepted and the next one being received",
    )
    [interrupted] = sink.in_progress
    workers.kill(first)
    killed_at = time.monotonic()
    # The worker's connection went with it, before the server's 250: the message was not accepted.
    sink.wait_until(lambda s: interrupted in s.cancelled and not s.in_progress, timeout=10, what="the cancel")
    assert len(sink.received) == before_the_crash
    sink.release()

    second = workers.start()
    rows = wait_until_all_sent(sink, worker_env, timeout=LEASE_SECONDS + 45)
    assert workers.stop(second) == 0, workers.output(second)

    received = Counter(sink.message_ids())
    assert len(rows) == EMAILS
    assert {state for state, _attempts in rows.values()} == {"sent"}
    assert set(received) == set(rows)
    assert [count for count in received.values() if count != 1] == []
    assert sum(received.values()) == EMAILS
    # The interrupted email was tried twice (its lease ran out), every other once; it went last,
    # not before the killed worker's lease had run out.
    assert {message_id: attempts for message_id, (_state, attempts) in rows.items() if attempts != 1} == {
        interrupted: 2
    }
    assert sink.received[-1].message_id == interrupted
    assert sink.received[-1].at - killed_at >= LEASE_SECONDS - 2


@pytest.mark.postgresql
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Two workers share the outbox through PostgreSQL's FOR UPDATE SKIP LOCKED: "
    "run with DATABASE_URL=postgres://… to test it.",
)
def test_two_workers_sharing_the_outbox_on_postgresql_send_each_email_exactly_once(worker_env, sink, workers):
    pair = [workers.start(), workers.start()]
    for process in pair:
        workers.wait_until_polling(process)

    queue_emails(worker_env)  # one transaction: both idle workers find all of them at once
    rows = wait_until_all_sent(sink, worker_env, timeout=60)
    assert [workers.stop(process) for process in pair] == [0, 0]

    received = Counter(sink.message_ids())
    assert len(rows) == EMAILS
    assert {state for state, _attempts in rows.values()} == {"sent"}
    assert set(received) == set(rows)
    assert [count for count in received.values() if count != 1] == []
    assert sum(received.values()) == EMAILS
    assert {attempts for _state, attempts in rows.values()} == {1}
    # Both took part: two messages were on their way to the server at the same moment, which one
    # worker, sending one after the other, never does.
    assert sink.most_at_once == 2
