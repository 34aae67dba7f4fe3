"""manage.py province_neighbours: recompute fixtures/regions/neighbours.json from the communes' coordinates."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from backend.regions.distance import NEIGHBOUR_KM, NEIGHBOURS_FILE, compute_neighbours
from backend.regions.loader import load_regions


class Command(BaseCommand):
    help = "Recompute which provinces are neighbours (carrier distance bands) into fixtures/regions/neighbours.json."

    def handle(self, *args: Any, **options: Any) -> None:
        load_regions()
        pairs = compute_neighbours()
        data = {
            "meta": {
                "about": f"Provinces with commune centres within {NEIGHBOUR_KM:g} km (backend/regions/distance.py)."
            },
            "neighbours": pairs,
        }
        NEIGHBOURS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(pairs)} provinces written to {NEIGHBOURS_FILE}")
