"""Fan claim changes out to partners' webhook endpoints and send them, with retries."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from webhooks.delivery import FAN_OUT_BATCH, backfill, fan_out, send_due


class Command(BaseCommand):
    help = "Send partners' webhooks: one pass with --once, else loop until SIGTERM or SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit.")
        parser.add_argument(
            "--sleep",
            type=float,
            default=None,
            help="Seconds between passes (default: the WEBHOOKS_POLL_SECONDS setting).",
        )

    def handle(self, *args: Any, once: bool = False, sleep: float | None = None, **options: Any) -> None:
        pause = settings.WEBHOOKS_POLL_SECONDS if sleep is None else sleep
        stop = threading.Event()
        previous = {}
        if not once:
            # Finish the delivery in hand, then exit: systemd's stop and Ctrl-C are both clean.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            self._run(once=once, pause=pause, stop=stop, verbosity=options["verbosity"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self, *, once: bool, pause: float, stop: threading.Event, verbosity: int) -> None:
        while True:
            self._refresh_connections()
            read = fan_out()
            while read == FAN_OUT_BATCH and not stop.is_set():
                read = fan_out()
            # One batch per endpoint and pass: a long backfill never holds up live events.
            backfill()
            sent = send_due(stop=stop)
            if verbosity >= 2 or (once and verbosity >= 1):
                self.stdout.write(f"Tried {sent} deliveries.")
            if once or stop.wait(pause):
                break

    @staticmethod
    def _refresh_connections() -> None:
        # A long-running worker drops connections past CONN_MAX_AGE or broken by a database
        # restart, like a request would. Never inside a transaction (a test's, or a caller's).
        if not connection.in_atomic_block:
            close_old_connections()
