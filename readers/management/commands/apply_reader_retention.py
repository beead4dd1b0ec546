"""Apply the retention rule for readers' personal data now (the email worker also runs it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from readers.privacy import apply_retention


class Command(BaseCommand):
    help = "Blank names and addresses on resolved tips past READERS_RETENTION_DAYS, delete old emails and expired unconfirmed subscriptions."

    def handle(self, *args: Any, **options: Any) -> None:
        forgotten = apply_retention()
        self.stdout.write(
            f"Anonymised {forgotten.tips} tips, deleted {forgotten.subscriptions} unconfirmed subscriptions "
            f"and {forgotten.emails} emails."
        )
