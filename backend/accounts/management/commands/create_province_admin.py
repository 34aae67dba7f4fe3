"""manage.py create_province_admin EMAIL --province SLUG [--commune CODE ...] [--password P]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.roles import make_province_admin
from backend.core.errors import DomainError
from backend.regions.models import Commune, Province


class Command(BaseCommand):
    help = "Make a user a province admin (creating the account if needed). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--province", required=True, help="Province slug, e.g. lam-dong.")
        parser.add_argument(
            "--commune", action="append", default=[], help="Commune code; repeat for several (default: all)."
        )
        parser.add_argument("--password", help="Set this password (default: keep it, or none for a new account).")

    def handle(self, *args: Any, **options: Any) -> None:
        province = Province.objects.filter(slug=options["province"].strip().lower()).first()
        if province is None:
            raise CommandError(f"No province with the slug {options['province']!r}.")
        codes = [code.strip() for code in options["commune"] if code.strip()]
        communes = list(Commune.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {c.code for c in communes})
        if unknown:
            raise CommandError(f"No commune with the code(s) {', '.join(unknown)}.")
        try:
            changes = make_province_admin(
                email=options["email"], province=province, communes=communes, password=options["password"]
            )
        except DomainError as exc:
            raise CommandError(" ".join(str(d.message) for d in exc.details)) from None
        for change in changes:
            self.stdout.write(change)
        if not changes:
            self.stdout.write(
                f"{options['email'].strip().lower()}: already a province admin of {province.name}, unchanged"
            )
