"""Load the reference data in fixtures/regions into the database.

Idempotent and cheap when nothing changed: the `regions` test fixture calls it
for every test, so it first compares row counts and returns at once when the
data is already there. Otherwise it upserts by natural key (province code,
commune code, (old code, new commune) for the legacy map) with bulk queries, in
one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction

from backend.core.text import search_key
from backend.regions.models import Commune, CommuneKind, LegacyUnit, Province
from backend.regions.services import fill_legacy_keys

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "regions"
PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố": "thanh_pho"}
COMMUNE_KINDS = {"xã": CommuneKind.XA, "phường": CommuneKind.PHUONG, "đặc khu": CommuneKind.DAC_KHU}

PROVINCE_FIELDS = ["name", "short_name", "name_en", "slug", "kind", "search_name"]
COMMUNE_FIELDS = ["name", "short_name", "slug", "kind", "province", "search_name"]
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


@lru_cache(maxsize=1)
def _fixtures() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    provinces = json.loads((FIXTURES_DIR / "provinces.json").read_text(encoding="utf-8"))["provinces"]
    lam_dong = json.loads((FIXTURES_DIR / "lam_dong_communes.json").read_text(encoding="utf-8"))
    return provinces, lam_dong["communes"], lam_dong["legacy_map"]


def region_counts() -> dict[str, int]:
    """Rows in the database that come from the fixture files (others, e.g. made by tests, are ignored)."""
    provinces, communes, _legacy_map = _fixtures()
    return {
        "provinces": Province.objects.filter(code__in=[row["code"] for row in provinces]).count(),
        "communes": Commune.objects.filter(code__in=[row["code"] for row in communes]).count(),
        "legacy_units": LegacyUnit.objects.count(),
    }


def load_regions(*, force: bool = False) -> dict[str, int]:
    """Load all provinces, Lâm Đồng's communes and the legacy map; return counts.

    Skips the work when every row is already there, unless `force` (use it
    after the fixture files changed without changing the number of rows).
    """
    provinces, communes, legacy_map = _fixtures()
    expected = {"provinces": len(provinces), "communes": len(communes), "legacy_units": len(legacy_map)}
    if not force and region_counts() == expected:
        return expected
    with transaction.atomic():
        _load_provinces(provinces)
        _load_communes(communes)
        _load_legacy_map(legacy_map, communes)
    return region_counts()


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
    model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(to_update, fields)


def _load_provinces(rows: list[dict[str, Any]]) -> None:
    wanted = [
        Province(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            name_en=row.get("name_en", ""),
            slug=row["slug"],
            kind=PROVINCE_KINDS[row["type"]],
            search_name=search_key(row["name"]),
        )
        for row in rows
    ]
    _sync(Province, Province.objects.all(), wanted, key=lambda p: p.code, fields=PROVINCE_FIELDS)


def _load_communes(rows: list[dict[str, Any]]) -> None:
    provinces = {p.code: p for p in Province.objects.filter(code__in={row["province_code"] for row in rows})}
    wanted = [
        Commune(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            slug=row["slug"],
            kind=COMMUNE_KINDS[row["type"]],
            province=provinces[row["province_code"]],
            search_name=search_key(row["name"]),
        )
        for row in rows
    ]
    existing = Commune.objects.filter(code__in=[c.code for c in wanted])
    _sync(Commune, existing, wanted, key=lambda c: c.code, fields=COMMUNE_FIELDS)


def _aliases(communes: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Other spellings of former units, keyed by (old code, new code)."""
    aliases = {}
    for commune in communes:
        for former in commune["former_units"]:
            alias = former.get("name_in_2024_code_list") or former.get("spelling_in_resolution")
            if alias:
                aliases[(former["code"], commune["code"])] = alias
    return aliases


def _load_legacy_map(rows: list[dict[str, Any]], communes: list[dict[str, Any]]) -> None:
    new_communes = {c.code: c for c in Commune.objects.filter(code__in={row["new_code"] for row in rows})}
    aliases = _aliases(communes)
    wanted = [
        fill_legacy_keys(
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
                commune=new_communes[row["new_code"]],
                transfer=row["transfer"],
                in_resolution=row["in_resolution"],
            )
        )
        for row in rows
    ]

    def key(unit: LegacyUnit) -> tuple[str, int]:
        return (unit.old_code, unit.commune_id)

    existing = list(LegacyUnit.objects.all())
    # The map is derived data with nothing pointing at it: rows no longer in
    # the fixture are dropped rather than left to mislead the converter.
    stale = {key(unit) for unit in existing} - {key(unit) for unit in wanted}
    if stale:
        LegacyUnit.objects.filter(pk__in=[unit.pk for unit in existing if key(unit) in stale]).delete()
        existing = [unit for unit in existing if key(unit) not in stale]
    _sync(LegacyUnit, existing, wanted, key=key, fields=LEGACY_FIELDS)
