from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from fixtures.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        port = settings.PORT
        self.stdout.write(f"\nChợ Phiên is starting on http://127.0.0.1:{port}/")
        self.stdout.write(f"  GraphQL (GraphiQL): http://127.0.0.1:{port}/graphql/")
        self.stdout.write(f"  Admin:              http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<28} {account.role}")
        self.stdout.write(f"  {'hotro@demo.chophien.vn':<28} commune helper (Tà Đùng, Đắk Song, Tuy Đức)")
        self.stdout.write(f"  {'phone 0912 345 602':<28} household without e-mail: code at /dev/outbox/")
        self.stdout.write("")
