"""The loop every background worker runs (webhooks, readers' email, edge-cache purges).

A worker does passes: one with ``--once``, else one every ``--sleep`` seconds (default: the
worker's poll setting) until SIGTERM or SIGINT, which let the pass in hand finish, so systemd's
stop and Ctrl-C are both clean. Before each pass it drops database connections past
CONN_MAX_AGE or broken by a restart, as a request would.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection


class WorkerCommand(BaseCommand):
    """A management command that runs ``run_pass`` in the loop above."""

    # The setting that holds the default pause between passes, in seconds.
    poll_setting: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit.")
        parser.add_argument(
            "--sleep",
            type=float,
            default=None,
            help=f"Seconds between passes (default: the {self.poll_setting} setting).",
        )

    def run_pass(self, *, stop: threading.Event) -> str:
        """Do one pass; return what it did, in a line for the log."""
        raise NotImplementedError

    def handle(self, *args: Any, once: bool = False, sleep: float | None = None, **options: Any) -> None:
        pause = getattr(settings, self.poll_setting) if sleep is None else sleep
        if pause < 0:
            self.stderr.write("--sleep must not be negative.")
            raise SystemExit(2)
        stop = threading.Event()
        previous = {}
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            while True:
                # Never inside a transaction (a test's, or a caller's).
                if not connection.in_atomic_block:
                    close_old_connections()
                done = self.run_pass(stop=stop)
                if options["verbosity"] >= 2 or (once and options["verbosity"] >= 1):
                    self.stdout.write(done)
                if once or stop.wait(pause):
                    break
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
