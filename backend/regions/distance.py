"""Distance bands between provinces, for carrier fees: same province, neighbouring, far.

Two provinces are neighbours when some commune centre of one lies within
`NEIGHBOUR_KM` of a commune centre of the other: with communes a few km
across, that finds the shared borders (Bắc Ninh–Hà Nội, Lâm Đồng–Đồng Nai)
and none of the provinces one province apart (Bắc Ninh–Phú Thọ is 20 km).
The pairs are computed from the coordinates by `manage.py
province_neighbours` into `fixtures/regions/neighbours.json` (by province
code), so pricing a cart reads no table; a test recomputes them.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from enum import StrEnum
from functools import cache
from pathlib import Path

from django.conf import settings

from backend.regions.models import Commune, Province

NEIGHBOUR_KM = 15.0
EARTH_KM = 6371.0
NEIGHBOURS_FILE = Path(settings.BASE_DIR) / "fixtures" / "regions" / "neighbours.json"


class Band(StrEnum):
    SAME = "same"
    NEIGHBOURING = "neighbouring"
    FAR = "far"


@cache
def neighbours() -> dict[str, frozenset[str]]:
    """Province code → codes of its neighbours (from the fixture)."""
    data = json.loads(NEIGHBOURS_FILE.read_text(encoding="utf-8"))
    return {code: frozenset(others) for code, others in data["neighbours"].items()}


def band_between(origin: Province, destination: Province) -> Band:
    if origin.pk == destination.pk:
        return Band.SAME
    if destination.code in neighbours().get(origin.code, frozenset()):
        return Band.NEIGHBOURING
    return Band.FAR


def compute_neighbours() -> dict[str, list[str]]:
    """The neighbour pairs from the communes' coordinates (about 0.5 s for the country)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows = Commune.objects.exclude(latitude=None).exclude(longitude=None)
    for code, latitude, longitude in rows.values_list("province__code", "latitude", "longitude"):
        if latitude is None or longitude is None:
            continue
        points[code].append((math.radians(float(latitude)), math.radians(float(longitude))))
    limit = (NEIGHBOUR_KM / EARTH_KM) ** 2
    found: dict[str, set[str]] = {code: set() for code in points}
    codes = sorted(points)
    for i, first in enumerate(codes):
        for second in codes[i + 1 :]:
            if _within(points[first], points[second], limit):
                found[first].add(second)
                found[second].add(first)
    return {code: sorted(others) for code, others in sorted(found.items())}


def _within(first: list[tuple[float, float]], second: list[tuple[float, float]], limit: float) -> bool:
    # Equirectangular distance: exact enough at 15 km; a bounding box skips far pairs at once.
    if (
        min(p[0] for p in first) - max(p[0] for p in second) > 0.01
        or min(p[0] for p in second) - max(p[0] for p in first) > 0.01
    ):
        return False
    for lat_a, lon_a in first:
        cos = math.cos(lat_a)
        for lat_b, lon_b in second:
            x = (lon_b - lon_a) * cos
            y = lat_b - lat_a
            if x * x + y * y <= limit:
                return True
    return False
