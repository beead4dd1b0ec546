"""Turn claim changes into readers' alerts and digests, and send every queued email to readers."""

from __future__ import annotations

import threading
import time

from claimtracker.workers import WorkerCommand
from readers import alerts, mail, privacy

# The retention rule runs at most this often from the worker (it is cheap, but needs no more).
RETENTION_EVERY_SECONDS = 3600


class Command(WorkerCommand):
    help = (
        "Send readers' email (alerts, digests, confirmations, replies): one pass with --once, "
        "else loop until SIGTERM or SIGINT."
    )
    poll_setting = "READERS_POLL_SECONDS"
    retention_due = 0.0

    def run_pass(self, *, stop: threading.Event) -> str:
        read = alerts.fan_out()
        while read == alerts.FAN_OUT_BATCH and not stop.is_set():
            read = alerts.fan_out()
        digests = alerts.send_digests()
        sent = mail.send_due(stop=stop)
        if time.monotonic() >= self.retention_due:
            privacy.apply_retention()
            self.retention_due = time.monotonic() + RETENTION_EVERY_SECONDS
        return f"Queued {digests} digests, sent {sent} emails."
