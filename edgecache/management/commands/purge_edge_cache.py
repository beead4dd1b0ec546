"""Turn claim changes into cache purges and send them to every HTTP accelerator node, with retries."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from edgecache import purge

# Done purges are pruned at most this often (cheap, but needs no more).
PRUNE_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Purge the HTTP accelerator after every write: one pass with --once, else loop until SIGTERM or SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit.")
        parser.add_argument(
            "--sleep", type=float, default=None, help="Seconds between passes (default: EDGE_CACHE_POLL_SECONDS)."
        )

    def handle(self, *args: Any, once: bool = False, sleep: float | None = None, **options: Any) -> None:
        pause = settings.EDGE_CACHE_POLL_SECONDS if sleep is None else sleep
        if pause < 0:
            self.stderr.write("--sleep must not be negative.")
            raise SystemExit(2)
        stop = threading.Event()
        previous = {}
        if not once:
            # Finish the pass in hand, then exit: systemd's stop and Ctrl-C are both clean.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            self._run(once=once, pause=pause, stop=stop, verbosity=options["verbosity"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self, *, once: bool, pause: float, stop: threading.Event, verbosity: int) -> None:
        prune_due = 0.0
        while True:
            if not connection.in_atomic_block:
                # A long-running worker drops connections past CONN_MAX_AGE or broken by a restart.
                close_old_connections()
            read = purge.fan_out()
            while read == purge.FAN_OUT_BATCH and not stop.is_set():
                read = purge.fan_out()
            done = 0
            while not stop.is_set():
                sent = purge.send_due(stop=stop)
                done += sent
                if sent < purge.SEND_BATCH:
                    break
            if time.monotonic() >= prune_due:
                purge.prune()
                prune_due = time.monotonic() + PRUNE_EVERY_SECONDS
            if verbosity >= 2 or (once and verbosity >= 1):
                self.stdout.write(f"Read {read} changes, purged {done}.")
            if once or stop.wait(pause):
                break
