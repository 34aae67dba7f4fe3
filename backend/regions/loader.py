"""Load the administrative units of the whole country into the database.

The national data comes from the pinned packages (`sources.py`): 34
provinces, 3,321 communes with coordinates, and the map of the 63 former
provinces' units. Curated files in fixtures/regions are laid over it:
`provinces.json` adds English names and slugs, and each `*_communes.json`
(today `lam_dong_communes.json`) replaces the communes and the legacy map of
its province, because it is richer there (resolution clauses, split units,
districts before the 2024 merger, other spellings). `reconcile.py` lists where
the two disagree.

Idempotent and cheap when nothing changed: it first compares row counts and
returns at once when the data is already there. Otherwise it upserts by
natural key (province code, commune code, (old code, new commune) for the
legacy map) with bulk queries, in one transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models, transaction

from backend.core.text import first_free_slug, search_key, slug_from
from backend.regions import sources
from backend.regions.keys import fill_legacy_keys
from backend.regions.models import Commune, CommuneKind, LegacyUnit, Province

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "regions"
PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố": "thanh_pho"}
COMMUNE_KINDS = {"xã": CommuneKind.XA, "phường": CommuneKind.PHUONG, "đặc khu": CommuneKind.DAC_KHU}

PROVINCE_FIELDS = ["name", "short_name", "name_en", "slug", "kind", "search_name"]
COMMUNE_FIELDS = ["name", "short_name", "slug", "kind", "province", "search_name", "latitude", "longitude"]
LEGACY_FIELDS = [
    "old_name",
    "old_name_alias",
    "old_kind",
    "old_district",
    "old_district_code",
    "old_district_before_2024",
    "old_province",
    "old_province_code",
    "transfer",
    "in_resolution",
    "ward_key",
    "ward_alias_key",
    "district_key",
    "district_before_2024_key",
    "province_key",
]

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Overlay:
    """A curated file that is the authority for the communes and legacy map of one province."""

    path: Path
    province_code: str
    communes: list[dict[str, Any]]
    legacy_map: list[dict[str, Any]]


@dataclass(frozen=True)
class RegionData:
    """Field values of every row to load (commune and legacy rows also name their parent's code)."""

    provinces: tuple[dict[str, Any], ...]
    communes: tuple[dict[str, Any], ...]
    legacy_units: tuple[dict[str, Any], ...]

    def counts(self) -> dict[str, int]:
        return {
            "provinces": len(self.provinces),
            "communes": len(self.communes),
            "legacy_units": len(self.legacy_units),
        }


@lru_cache(maxsize=1)
def overlays() -> tuple[Overlay, ...]:
    found = []
    for path in sorted(FIXTURES_DIR.glob("*_communes.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append(Overlay(path, data["meta"]["province"]["code"], data["communes"], data["legacy_map"]))
    return tuple(found)


@lru_cache(maxsize=1)
def curated_provinces() -> dict[str, dict[str, Any]]:
    rows = json.loads((FIXTURES_DIR / "provinces.json").read_text(encoding="utf-8"))["provinces"]
    return {row["code"]: row for row in rows}


@lru_cache(maxsize=1)
def region_data() -> RegionData:
    """Everything to load, computed once per process (the test fixture loads it for every test)."""
    curated = {overlay.province_code: overlay for overlay in overlays()}
    communes = [row for row in _library_communes() if row["province_code"] not in curated]
    legacy = [_library_legacy_values(row) for row in sources.library_legacy_map()]
    library_codes = {row["code"] for row in communes}
    legacy = [row for row in legacy if row["new_code"] in library_codes]
    for overlay in curated.values():
        communes += _overlay_communes(overlay)
        legacy += _overlay_legacy_values(overlay)
    return RegionData(tuple(_province_values()), tuple(communes), tuple(legacy))


def expected_counts() -> dict[str, int]:
    """The rows `region_data` holds, counted without building them (the check of every start and test)."""
    return dict(_expected_counts())  # a copy: callers add their own counts to it


@lru_cache(maxsize=1)
def _expected_counts() -> dict[str, int]:
    curated = {overlay.province_code: overlay for overlay in overlays()}
    library_codes = {row.code for row in sources.library_communes() if row.province_code not in curated}
    legacy = sum(1 for row in sources.library_legacy_map() if row.new_code in library_codes)
    return {
        "provinces": len(sources.library_provinces()),
        "communes": len(library_codes) + sum(len(overlay.communes) for overlay in curated.values()),
        "legacy_units": legacy + sum(len(overlay.legacy_map) for overlay in curated.values()),
    }


def region_counts() -> dict[str, int]:
    """Rows in the database (rows made by hand or by tests count too, and trigger a re-sync)."""
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "legacy_units": LegacyUnit.objects.count(),
    }


def load_regions(*, force: bool = False) -> dict[str, int]:
    """Load all provinces, all communes and the national legacy map; return counts.

    Skips the work when the row counts already match, unless `force` (use it
    after the data changed without changing the number of rows, e.g. a
    package upgrade or an edited fixture file).
    """
    if not force and region_counts() == expected_counts():
        return expected_counts()
    data = region_data()
    with transaction.atomic():
        provinces = _load_provinces(data.provinces)
        communes = _load_communes(data.communes, provinces)
        _load_legacy_map(data.legacy_units, communes)
    return region_counts()


def _province_values() -> list[dict[str, Any]]:
    rows = []
    for province in sources.library_provinces():
        curated = curated_provinces().get(province.code, {})
        rows.append(
            {
                "code": province.code,
                "name": province.name,
                "short_name": province.short_name,
                "name_en": curated.get("name_en", ""),
                "slug": curated.get("slug") or slug_from(province.short_name),
                "kind": province.kind,
                "search_name": search_key(province.name),
            }
        )
    return rows


def _library_communes() -> list[dict[str, Any]]:
    """The package's communes with slugs unique in their province.

    The slug is the short name's ("mui-ne"); where two units of a province
    share it ("Phường Mỹ Tho" and "Xã Mỹ Tho") they carry their type word too,
    and a number only when even that is shared.
    """
    by_province: dict[str, list[sources.CommuneRow]] = defaultdict(list)
    for row in sources.library_communes():
        by_province[row.province_code].append(row)
    values = []
    for rows in by_province.values():
        short_slugs = [slug_from(row.short_name) for row in rows]
        shared = {slug for slug in short_slugs if short_slugs.count(slug) > 1}
        taken: set[str] = set()
        for row, short_slug in sorted(zip(rows, short_slugs, strict=True), key=lambda item: item[0].code):
            slug = first_free_slug(slug_from(row.name) if short_slug in shared else short_slug, taken)
            taken.add(slug)
            values.append(_commune_values(row, slug))
    return values


def _commune_values(row: sources.CommuneRow, slug: str) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "short_name": row.short_name,
        "slug": slug,
        "kind": COMMUNE_KINDS[row.kind],
        "province_code": row.province_code,
        "search_name": search_key(row.name),
        "latitude": row.latitude,
        "longitude": row.longitude,
    }


def _overlay_communes(overlay: Overlay) -> list[dict[str, Any]]:
    """The curated communes, with the package's coordinates (matched by name, else by code)."""
    library = [row for row in sources.library_communes() if row.province_code == overlay.province_code]
    by_name = {sources.name_key(row.name): row for row in library}
    by_code = {row.code: row for row in library}
    values = []
    for row in overlay.communes:
        twin = by_name.get(sources.name_key(row["name"])) or by_code.get(row["code"])
        commune = sources.CommuneRow(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            kind=row["type"],
            province_code=row["province_code"],
            latitude=twin.latitude if twin else None,
            longitude=twin.longitude if twin else None,
        )
        values.append(_commune_values(commune, row["slug"]))
    return values


def _legacy_values(unit: LegacyUnit, new_code: str) -> dict[str, Any]:
    fill_legacy_keys(unit)
    return {"old_code": unit.old_code, "new_code": new_code, **{name: getattr(unit, name) for name in LEGACY_FIELDS}}


def _library_legacy_values(row: sources.LegacyRow) -> dict[str, Any]:
    unit = LegacyUnit(
        old_code=row.old_code,
        old_name=row.old_name,
        old_kind=row.old_kind,
        old_district=row.old_district,
        old_district_code=row.old_district_code,
        old_province=row.old_province,
        old_province_code=row.old_province_code,
        transfer=row.transfer,
        old_name_alias=row.old_name_alias,
        old_district_before_2024=row.old_district_alias,
    )
    return _legacy_values(unit, row.new_code)


def _aliases(communes: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Other spellings of former units, keyed by (old code, new code)."""
    aliases = {}
    for commune in communes:
        for former in commune["former_units"]:
            alias = former.get("name_in_2024_code_list") or former.get("spelling_in_resolution")
            if alias:
                aliases[(former["code"], commune["code"])] = alias
    return aliases


def _overlay_legacy_values(overlay: Overlay) -> list[dict[str, Any]]:
    aliases = _aliases(overlay.communes)
    return [
        _legacy_values(
            LegacyUnit(
                old_code=row["old_code"],
                old_name=row["old_name"],
                old_name_alias=aliases.get((row["old_code"], row["new_code"]), ""),
                old_kind=row["old_type"],
                old_district=row["old_district"],
                old_district_code=row["old_district_code"],
                old_district_before_2024=row.get("old_district_before_2024_merger", ""),
                old_province=row["old_province"],
                old_province_code=row["old_province_code"],
                transfer=row["transfer"],
                in_resolution=row["in_resolution"],
            ),
            row["new_code"],
        )
        for row in overlay.legacy_map
    ]


def _sync(
    model: type[M],
    existing: Iterable[M],
    wanted: Iterable[M],
    *,
    key: Callable[[M], Hashable],
    fields: list[str],
) -> None:
    """update_or_create for many rows at once: one bulk insert, one bulk update."""
    # Compare raw column values ("province_id"), so foreign keys cost no query.
    columns = [field.attname for field in model._meta.concrete_fields if field.name in fields]
    current = {key(obj): obj for obj in existing}
    to_create: list[M] = []
    to_update: list[M] = []
    for obj in wanted:
        found = current.get(key(obj))
        if found is None:
            to_create.append(obj)
        elif any(getattr(found, column) != getattr(obj, column) for column in columns):
            for column in columns:
                setattr(found, column, getattr(obj, column))
            to_update.append(found)
    _insert(model, to_create)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=500)


def _insert(model: type[M], objs: list[M]) -> None:
    """bulk_create without the per-value SQL compiling (4× faster for the ~14,000 rows of a first load).

    The values are plain strings, numbers, booleans and decimals, which both
    database drivers adapt themselves; the primary key is left to the database.
    """
    if not objs:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(obj, field.attname) for field in fields] for obj in objs])


def _load_provinces(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    wanted = [Province(**row) for row in rows]
    _sync(Province, Province.objects.all(), wanted, key=lambda p: p.code, fields=PROVINCE_FIELDS)
    return dict(Province.objects.values_list("code", "pk"))


def _load_communes(rows: Iterable[dict[str, Any]], provinces: dict[str, int]) -> dict[str, int]:
    wanted = [Commune(province_id=provinces[row["province_code"]], **_without(row, "province_code")) for row in rows]
    _sync(Commune, Commune.objects.all(), wanted, key=lambda c: c.code, fields=COMMUNE_FIELDS)
    return dict(Commune.objects.values_list("code", "pk"))


def _without(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {field: value for field, value in row.items() if field != name}


def _load_legacy_map(rows: Iterable[dict[str, Any]], communes: dict[str, int]) -> None:
    wanted = [LegacyUnit(commune_id=communes[row["new_code"]], **_without(row, "new_code")) for row in rows]

    def key(unit: LegacyUnit) -> tuple[str, int]:
        return (unit.old_code, unit.commune_id)

    existing = list(LegacyUnit.objects.all())
    # The map is derived data with nothing pointing at it: rows no longer in
    # the data are dropped rather than left to mislead the converter.
    stale = {key(unit) for unit in existing} - {key(unit) for unit in wanted}
    if stale:
        LegacyUnit.objects.filter(pk__in=[unit.pk for unit in existing if key(unit) in stale]).delete()
        existing = [unit for unit in existing if key(unit) not in stale]
    _sync(LegacyUnit, existing, wanted, key=key, fields=LEGACY_FIELDS)
