from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.encryption import KEY_ENVIRONMENT_VARIABLE, EncryptionError, key_from_environment
from backups.services import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Write a complete, consistent backup of the database (content, history, users, sessions, keys) to a new "
        f"file, readable by its owner only; encrypted when {KEY_ENVIRONMENT_VARIABLE} is set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", type=Path, help="The backup file to create, e.g. backups/2025-01-20.sqlite3")

    def handle(self, *args, output: Path, **options) -> None:
        try:
            result = backup_database(output, key=key_from_environment())
        except (BackupError, EncryptionError) as error:
            raise CommandError(str(error)) from None
        how = "encrypted" if result.encrypted else f"not encrypted: set {KEY_ENVIRONMENT_VARIABLE} in production"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {result.engine} database to {result.path} ({result.size_bytes:,} bytes, {how})."
            )
        )
