"""`manage.py seed_categories`: create or refresh the standard category tree."""

from typing import Any

from django.core.management.base import BaseCommand

from backend.catalog.categories import seed_categories


class Command(BaseCommand):
    help = "Create or refresh the standard category tree (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_categories()
        self.stdout.write(f"Categories: {counts['created']} created, {counts['updated']} up to date.")
