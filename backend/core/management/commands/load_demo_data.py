from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.regions.loader import load_regions
from fixtures.demo import DEMO_PASSWORD, demo_data_present, load_demo_data
from fixtures.demo_provinces import load_province_demos, province_demos_present


class Command(BaseCommand):
    help = "Load the demo data (regions, accounts, Lâm Đồng, Bắc Ninh and Ninh Bình catalogs). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Skip when the demo data is already there.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_data_present():
            # A database made before a regions upgrade gets the new units all the same (a no-op otherwise).
            load_regions()
            if not province_demos_present():  # a database made before the other provinces' demo
                load_province_demos(password=DEMO_PASSWORD)
            self.stdout.write("Demo data already loaded.")
            return
        counts = load_demo_data()
        self.stdout.write("Demo data loaded: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
