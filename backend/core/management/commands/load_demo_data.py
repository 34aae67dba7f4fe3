from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.regions.loader import load_regions
from fixtures.demo import demo_data_present, load_demo_data


class Command(BaseCommand):
    help = "Load the Lâm Đồng demo data (regions, accounts, catalog). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Skip when the demo data is already there.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_data_present():
            # A database made before a regions upgrade gets the new units all the same (a no-op otherwise).
            load_regions()
            self.stdout.write("Demo data already loaded.")
            return
        counts = load_demo_data()
        self.stdout.write("Demo data loaded: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
