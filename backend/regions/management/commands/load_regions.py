from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.regions import sources
from backend.regions.loader import load_regions, overlays
from backend.regions.reconcile import overlay_differences, province_differences


class Command(BaseCommand):
    help = (
        "Load the 34 provinces, the 3,321 communes and the legacy address map of the 63 former provinces "
        "from the pinned packages, with the curated files of fixtures/regions laid over them. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-sync every row even when the counts already match (after a package upgrade or a fixture edit).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only list where the packages and the curated files disagree (the curated files win).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = ", ".join(f"{name} {version}" for name, version in sources.versions().items())
        if options["check"]:
            provinces = province_differences()
            self.stdout.write(f"provinces.json against {versions}: {len(provinces)} difference(s)")
            for line in provinces:
                self.stdout.write(f"  {line}")
            for overlay in overlays():
                differences = overlay_differences(overlay)
                self.stdout.write(f"{overlay.path.name} against {versions}: {len(differences)} difference(s)")
                for line in differences:
                    self.stdout.write(f"  {line}")
            return
        counts = load_regions(force=options["force"])
        self.stdout.write(f"Regions loaded ({versions}): " + ", ".join(f"{k}={v}" for k, v in counts.items()))
