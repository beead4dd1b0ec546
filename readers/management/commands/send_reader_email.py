"""Turn claim changes into readers' alerts and digests, and send every queued email to readers."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from readers import alerts, mail, privacy

# The retention rule runs at most this often from the worker (it is cheap, but needs no more).
RETENTION_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Send readers' email (alerts, digests, confirmations, replies): one pass with --once, else loop until SIGTERM or SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit.")
        parser.add_argument(
            "--sleep", type=float, default=None, help="Seconds between passes (default: READERS_POLL_SECONDS)."
        )

    def handle(self, *args: Any, once: bool = False, sleep: float | None = None, **options: Any) -> None:
        pause = settings.READERS_POLL_SECONDS if sleep is None else sleep
        if pause < 0:
            self.stderr.write("--sleep must not be negative.")
            raise SystemExit(2)
        stop = threading.Event()
        previous = {}
        if not once:
            # Finish the email in hand, then exit: systemd's stop and Ctrl-C are both clean.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            self._run(once=once, pause=pause, stop=stop, verbosity=options["verbosity"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self, *, once: bool, pause: float, stop: threading.Event, verbosity: int) -> None:
        retention_due = 0.0
        while True:
            if not connection.in_atomic_block:
                close_old_connections()
            read = alerts.fan_out()
            while read == alerts.FAN_OUT_BATCH and not stop.is_set():
                read = alerts.fan_out()
            digests = alerts.send_digests()
            sent = mail.send_due(stop=stop)
            if time.monotonic() >= retention_due:
                privacy.apply_retention()
                retention_due = time.monotonic() + RETENTION_EVERY_SECONDS
            if verbosity >= 2 or (once and verbosity >= 1):
                self.stdout.write(f"Queued {digests} digests, sent {sent} emails.")
            if once or stop.wait(pause):
                break
