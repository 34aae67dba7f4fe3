"""manage.py create_platform_staff EMAIL [--password P]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.roles import make_platform_staff
from backend.core.errors import DomainError


class Command(BaseCommand):
    help = "Make a user platform staff (creating the account if needed). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--password", help="Set this password (default: keep it, or none for a new account).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changes = make_platform_staff(email=options["email"], password=options["password"])
        except DomainError as exc:
            raise CommandError(" ".join(str(d.message) for d in exc.details)) from None
        for change in changes:
            self.stdout.write(change)
        if not changes:
            self.stdout.write(f"{options['email'].strip().lower()}: already platform staff, unchanged")
