"""The legacy-map rows an old address may mean, fetched in a few indexed queries.

The map holds about 10,600 rows for the 63 former provinces, so the converter
never reads it whole: an exact hit costs one query on the ward key; a miss
reads the rows of the typed district (or, when that does not narrow the place
down, the rows of the province whose names look alike: keys first, whole rows
only for the few that pass) and the new communes whose name was typed instead
of the old one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q, QuerySet

from backend.regions import sources
from backend.regions.keys import legacy_key, unit_name_words
from backend.regions.loader import curated_provinces
from backend.regions.matching import similar
from backend.regions.models import Commune, LegacyUnit
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


@lru_cache(maxsize=1)
def _former_provinces() -> dict[str, set[str]]:
    """Key of each province, today's and former → codes of today's province(s) it means.

    From the curated list of the 34 provinces and the former ones merged into
    each (Resolution 60-NQ/TW), so it costs no query.
    """
    means: dict[str, set[str]] = defaultdict(set)
    for code, province in curated_provinces().items():
        means[legacy_key(province["name"])].add(code)
        for former in province["former_provinces"]:
            means[legacy_key(former["name"])].add(code)
    return dict(means)


def known_provinces() -> set[str]:
    """Keys of the former provinces and of today's provinces."""
    return set(_former_provinces())


def province_codes(province: str) -> set[str]:
    """Codes of today's provinces a province key means: itself, or the one a former province merged into."""
    return _former_provinces().get(province, set())


def nearby_rows(*, ward: str, district: str, province: str) -> list[LegacyUnit]:
    """Rows a mistyped address may mean: its district's, and lookalike names in its province.

    The province-wide look for lookalikes runs only when the district does not
    narrow the place down (none typed, or none of that name).
    """
    codes = province_codes(province)
    # The former provinces' keys, indexed: no join to filter by today's province.
    scope = Q(province_key__in=_old_keys(codes)) if province else Q()
    rows: list[LegacyUnit] = []
    if district:
        rows += legacy_rows().filter(scope, Q(district_key=district) | Q(district_before_2024_key=district))
    if codes and not rows:
        rows += _similar_rows(ward, scope)
    return _unique(rows)


def _old_keys(codes: set[str]) -> set[str]:
    return {key for key, means in _former_provinces().items() if means & codes}


def _similar_rows(ward: str, scope: Q) -> list[LegacyUnit]:
    keys = LegacyUnit.objects.filter(scope).values_list("pk", "ward_key", "ward_alias_key")
    keyed = [(pk, key) for pk, ward_key, alias_key in keys for key in (ward_key, alias_key) if key]
    best = sorted(similar(ward, keyed, at_least=SIMILAR), reverse=True)[:MAX_SIMILAR_ROWS]
    return list(legacy_rows().filter(pk__in=[pk for _score, pk in best])) if best else []


def communes_named(ward: str, district: str, *, province: str) -> list[Commune]:
    """Today's communes (of these provinces) whose name was typed as the old ward ("Xuân Hương Đà Lạt").

    The keys of the 3,321 names are kept in the process (`_commune_codes_by_key`), so a miss, which
    usually names no commune either, costs no query here.
    """
    words, _kind = unit_name_words(ward)
    if not words:
        return []
    typed = {"".join(words), "".join(words) + district}
    codes = set().union(*(_commune_codes_by_key().get(key, ()) for key in typed))
    if province:
        wanted = province_codes(province)
        codes = {code for code in codes if code[1] in wanted}
    if not codes:
        return []
    return list(communes_list().filter(code__in=[code for code, _province in codes])[:MAX_NAMED_COMMUNES])


_COMMUNE_KEYS: dict[str, frozenset[tuple[str, str]]] = {}


def _commune_codes_by_key() -> dict[str, frozenset[tuple[str, str]]]:
    """Folded key of each commune's name and short name → (commune code, province code).

    Codes, never ids: the official codes do not change when the tables are reloaded, and a code
    no longer there simply finds nothing. Kept once the communes are loaded (never while empty).
    """
    if not _COMMUNE_KEYS:
        found: dict[str, set[tuple[str, str]]] = defaultdict(set)
        rows = Commune.objects.values_list("name", "short_name", "code", "province__code")
        for name, short_name, code, province_code in rows:
            for key in {legacy_key(name), legacy_key(short_name)}:
                found[key].add((code, province_code))
        _COMMUNE_KEYS.update({key: frozenset(codes) for key, codes in found.items()})
    return _COMMUNE_KEYS


def commune_keys(commune: Commune) -> set[str]:
    return {legacy_key(commune.name), legacy_key(commune.short_name)}


def _unique(rows: Iterable[LegacyUnit]) -> list[LegacyUnit]:
    return list({row.pk: row for row in rows}.values())
