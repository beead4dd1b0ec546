from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_database


class Command(BaseCommand):
    help = "Write a complete, consistent backup of the database (content, history, users, keys) to a new file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", type=Path, help="The backup file to create, e.g. backups/2025-01-20.sqlite3")

    def handle(self, *args, output: Path, **options) -> None:
        try:
            result = backup_database(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {result.engine} database to {result.path} ({result.size_bytes:,} bytes)."
            )
        )
