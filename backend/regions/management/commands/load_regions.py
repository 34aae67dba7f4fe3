from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.regions.loader import load_regions


class Command(BaseCommand):
    help = "Load provinces, Lâm Đồng's communes and the legacy address map from fixtures/regions. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-sync every row even when the counts already match (after editing the fixture files).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_regions(force=options["force"])
        self.stdout.write("Regions loaded: " + ", ".join(f"{name}={count}" for name, count in counts.items()))
