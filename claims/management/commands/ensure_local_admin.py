"""Make sure a superuser exists for local use, and say how to log in."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local 'admin' superuser with a generated password (first run only) and print how to log in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--admin-url", default="http://127.0.0.1:8000/admin/", help="Printed as where to log in.")

    def handle(self, *args, username: str, admin_url: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin is for local development; create production users with createsuperuser."
            )
        password_file = Path(settings.BASE_DIR) / ".local-admin-password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            note = "Created the local admin login."
        elif password_file.exists():
            password = password_file.read_text().strip()
            note = "The local admin login already exists."
        else:
            self.stdout.write(
                f"The user {username!r} already exists; reset its password with: "
                f"python manage.py changepassword {username}"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(note)
            + f"\n  Admin:     {admin_url}\n  User name: {username}\n  Password:  {password}"
            + f"\n  (The password is kept in {password_file.name}, which git ignores.)"
            + "\n  Readers' emails, partners' webhooks and edge-cache purges are sent by `make workers`, in a second terminal.\n"
        )
