"""Turn claim changes into cache purges and send them to every HTTP accelerator node, with retries."""

from __future__ import annotations

import threading
import time

from claimtracker.workers import WorkerCommand
from edgecache import purge

# Done purges are pruned at most this often (cheap, but needs no more).
PRUNE_EVERY_SECONDS = 3600


class Command(WorkerCommand):
    help = "Purge the HTTP accelerator after every write: one pass with --once, else loop until SIGTERM or SIGINT."
    poll_setting = "EDGE_CACHE_POLL_SECONDS"
    prune_due = 0.0

    def run_pass(self, *, stop: threading.Event) -> str:
        read = purge.fan_out()
        while read == purge.FAN_OUT_BATCH and not stop.is_set():
            read = purge.fan_out()
        done = 0
        while not stop.is_set():
            sent = purge.send_due(stop=stop)
            done += sent
            if sent < purge.SEND_BATCH:
                break
        if time.monotonic() >= self.prune_due:
            purge.prune()
            self.prune_due = time.monotonic() + PRUNE_EVERY_SECONDS
        return f"Read {read} changes, purged {done}."
