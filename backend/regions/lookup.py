"""The legacy-map rows an old address may mean, fetched in a few indexed queries.

The map holds about 10,600 rows for the 63 former provinces, so the converter
never reads it whole: an exact hit costs one query on the ward key; a miss
reads the rows of the typed district, the rows of the province whose names
look alike (keys first, whole rows only for the few that pass), and the new
communes whose name was typed instead of the old one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from backend.regions import sources
from backend.regions.keys import legacy_key, unit_name_words
from backend.regions.matching import similarity
from backend.regions.models import Commune, LegacyUnit, Province
from backend.regions.selectors import communes_list

# A name this similar to the typed one is worth suggesting even in another district.
SIMILAR = 0.75
MAX_SIMILAR_ROWS = 40
MAX_NAMED_COMMUNES = 20


def legacy_rows() -> QuerySet[LegacyUnit]:
    return LegacyUnit.objects.select_related("commune__province").order_by("old_code", "commune__code")


def rows_by_ward(key: str) -> list[LegacyUnit]:
    """Rows whose old name (or its other spelling) has this key, anywhere in the country."""
    return list(legacy_rows().filter(Q(ward_key=key) | Q(ward_alias_key=key)))


def canonical_province(key: str) -> str:
    """The key of the province a short form stands for ("hcm" → "hochiminh"), else the key itself."""
    name = sources.province_aliases().get(key)
    return legacy_key(name) if name else key


def known_provinces() -> set[str]:
    """Keys of the former provinces in the map and of today's provinces."""
    old = set(LegacyUnit.objects.values_list("province_key", flat=True).distinct())
    return old | {legacy_key(name) for name in Province.objects.values_list("short_name", flat=True)}


def new_province_ids(province: str) -> set[int]:
    """Today's provinces a province key means: itself, or the one a former province merged into."""
    merged_into = LegacyUnit.objects.filter(province_key=province).values_list("commune__province_id", flat=True)
    named = {pk for pk, name in Province.objects.values_list("pk", "short_name") if legacy_key(name) == province}
    return named | set(merged_into.distinct())


def nearby_rows(*, ward: str, district: str, provinces: set[int] | None) -> list[LegacyUnit]:
    """Rows a mistyped address may mean: its district's, and lookalike names in its province(s)."""
    scope = Q(commune__province_id__in=provinces) if provinces is not None else Q()
    rows: list[LegacyUnit] = []
    if district:
        rows += legacy_rows().filter(scope, Q(district_key=district) | Q(district_before_2024_key=district))
    if provinces:
        rows += _similar_rows(ward, scope)
    return _unique(rows)


def _similar_rows(ward: str, scope: Q) -> list[LegacyUnit]:
    keys = LegacyUnit.objects.filter(scope).values_list("pk", "ward_key", "ward_alias_key")
    scored = sorted(
        (-max(similarity(ward, key), similarity(ward, alias) if alias else 0.0), pk) for pk, key, alias in keys
    )
    best = [pk for score, pk in scored[:MAX_SIMILAR_ROWS] if -score >= SIMILAR]
    return list(legacy_rows().filter(pk__in=best)) if best else []


def communes_named(ward: str, district: str, *, provinces: set[int] | None) -> list[Commune]:
    """Today's communes (of these provinces) whose name was typed as the old ward ("Xuân Hương Đà Lạt")."""
    words, _kind = unit_name_words(ward)
    if not words:
        return []
    typed = {"".join(words), "".join(words) + district}
    found = communes_list(search=" ".join(words))
    if provinces is not None:
        found = found.filter(province_id__in=provinces)
    return [commune for commune in found[:MAX_NAMED_COMMUNES] if typed & commune_keys(commune)]


def commune_keys(commune: Commune) -> set[str]:
    return {legacy_key(commune.name), legacy_key(commune.short_name)}


def _unique(rows: Iterable[LegacyUnit]) -> list[LegacyUnit]:
    return list({row.pk: row for row in rows}.values())
