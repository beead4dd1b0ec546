"""Fan claim changes out to partners' webhook endpoints and send them, with retries."""

from __future__ import annotations

import threading

from claimtracker.workers import WorkerCommand
from webhooks.delivery import FAN_OUT_BATCH, backfill, fan_out, send_due


class Command(WorkerCommand):
    help = "Send partners' webhooks: one pass with --once, else loop until SIGTERM or SIGINT."
    poll_setting = "WEBHOOKS_POLL_SECONDS"

    def run_pass(self, *, stop: threading.Event) -> str:
        read = fan_out()
        while read == FAN_OUT_BATCH and not stop.is_set():
            read = fan_out()
        # One batch per endpoint and pass: a long backfill never holds up live events.
        backfill()
        sent = send_due(stop=stop)
        return f"Tried {sent} deliveries."
