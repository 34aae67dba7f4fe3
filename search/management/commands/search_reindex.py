from typing import Any

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the database into a new index and swap it in (zero downtime)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild()
        self.stdout.write(f"Search index rebuilt with {count} documents.")
