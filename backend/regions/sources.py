"""The national administrative data shipped inside two pinned PyPI packages.

- `vietnam-provinces`: the 34 provinces and 3,321 commune-level units after
  1 July 2025 with their official codes (the authority for codes and names).
- `vietnamadminunits`: the 63-province units before the reform, the map from
  each of them to the new unit(s), and approximate coordinates.

Both ship their data as files inside the package, so nothing here touches the
network. The files are read directly (the package's own import loads parsers
and geometry libraries that loading does not need). The two packages number
about a hundred new units differently, so they are joined on the province and
the unit's name, never on the code.

This module only reads; `loader.py` lays the curated files of
fixtures/regions over it and writes the database.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from backend.core.text import fold

PROVINCES_PACKAGE = "vietnam-provinces"
LEGACY_PACKAGE = "vietnamadminunits"
COMMUNE_PREFIXES = {"xã": "Xã ", "phường": "Phường ", "đặc khu": "Đặc khu "}
# Former districts that had no commune-level unit: each became the đặc khu of the same name.
ISLAND_KIND = "huyện"
_COORDINATE = Decimal("0.000001")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str  # official, with its type word: "Tỉnh Lâm Đồng", "Thành phố Huế"
    short_name: str
    kind: str  # "tinh" | "thanh_pho"


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    short_name: str
    kind: str  # "xã" | "phường" | "đặc khu"
    province_code: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class LegacyRow:
    """A former unit (or the part of one) and the new commune it went to."""

    old_code: str
    old_name: str
    old_kind: str  # "xã" | "phường" | "thị trấn" | "huyện" (islands without communes)
    old_district: str
    old_district_code: str
    old_province: str
    old_province_code: str
    new_code: str
    transfer: str  # "whole" | "part"
    # For a split unit, the new unit the package's own converter picks when it has no street.
    default_of_split: bool = False
    # Older names the package's parser knows: the district before an early-2025 split ("Huyện Lục
    # Ngạn" for Thị xã Chũ) and the ward's other name (a commune merged into it earlier).
    old_district_alias: str = ""
    old_name_alias: str = ""


def versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in (PROVINCES_PACKAGE, LEGACY_PACKAGE)}


def name_key(name: str) -> str:
    """Letters and digits of a folded name: "Xã Thanh Thuỷ" and "Xã Thanh Thủy" agree."""
    return _NOT_ALNUM.sub("", fold(name))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=1)
def _divisions() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def library_provinces() -> tuple[ProvinceRow, ...]:
    rows = []
    for province in _divisions():
        short_name = _nfc(province["name"]).removeprefix("Thành phố ")
        city = province["division_type"] != "tỉnh"
        name = f"Thành phố {short_name}" if city else f"Tỉnh {short_name}"
        rows.append(ProvinceRow(f"{province['code']:02d}", name, short_name, "thanh_pho" if city else "tinh"))
    return tuple(rows)


@lru_cache(maxsize=1)
def library_communes() -> tuple[CommuneRow, ...]:
    """All 3,321 units, with the coordinates of the other package where the names agree."""
    coordinates = _new_unit_coordinates()
    rows = []
    for province in _divisions():
        province_code = f"{province['code']:02d}"
        for ward in province["wards"]:
            name = _nfc(ward["name"])
            kind = ward["division_type"]
            code = f"{ward['code']:05d}"
            their_code = _legacy_side_codes().get((province_code, code), "")
            latitude, longitude = coordinates.get(their_code, (None, None))
            rows.append(
                CommuneRow(
                    code=code,
                    name=name,
                    short_name=name.removeprefix(COMMUNE_PREFIXES[kind]),
                    kind=kind,
                    province_code=province_code,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def _new_unit_index() -> dict[tuple[str, str], list[str]]:
    """(province code, name) and (province code, name key) → codes in vietnam-provinces."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for province in _divisions():
        province_code = f"{province['code']:02d}"
        for ward in province["wards"]:
            code = f"{ward['code']:05d}"
            index[(province_code, _nfc(ward["name"]))].append(code)
            index[(province_code, name_key(ward["name"]))].append(code)
    return index


@lru_cache(maxsize=1)
def _legacy_side_codes() -> dict[tuple[str, str], str]:
    """(province code, vietnam-provinces code) → vietnamadminunits code of the same unit."""
    index = _new_unit_index()
    matched: dict[tuple[str, str], str] = {}
    for unit in _dataset("SELECT provinceCode, ward, wardCode FROM admin_units"):
        province_code, name, their_code = unit["provinceCode"], _nfc(unit["ward"]), unit["wardCode"]
        ours = index.get((province_code, name)) or index.get((province_code, name_key(name))) or []
        if len(ours) > 1:
            # Two units whose names differ only by diacritics: the exact name decides, then the code.
            ours = [code for code in ours if code == their_code] or ours[:0]
        if len(ours) == 1:
            matched[(province_code, ours[0])] = their_code
    return matched


@lru_cache(maxsize=1)
def _new_unit_coordinates() -> dict[str, tuple[Decimal, Decimal]]:
    return {
        unit["wardCode"]: (_coordinate(unit["wardLat"]), _coordinate(unit["wardLon"]))
        for unit in _dataset("SELECT wardCode, wardLat, wardLon FROM admin_units WHERE wardLat IS NOT NULL")
    }


def _coordinate(value: float) -> Decimal:
    return Decimal(str(value)).quantize(_COORDINATE)


def _data_dir() -> Path:
    spec = importlib.util.find_spec(LEGACY_PACKAGE)  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{LEGACY_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=1)
def _converter() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    return data


def _dataset(sql: str) -> list[sqlite3.Row]:
    connection = sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@lru_cache(maxsize=1)
def library_legacy_map() -> tuple[LegacyRow, ...]:
    """Every former unit of the 63 provinces → its new unit(s), in vietnam-provinces codes."""
    converter = _converter()
    old_units = {
        (unit["provinceKey"], unit["districtKey"], unit["wardKey"] or ""): unit
        for unit in _dataset(
            "SELECT provinceKey, districtKey, wardKey, province, district, districtShort, ward, wardType,"
            " provinceCode, districtCode, wardCode FROM admin_units_legacy"
        )
    }
    new_codes = _new_codes_by_key()
    rows: list[LegacyRow] = []
    targets: dict[tuple[str, str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                targets[_split_key(old_key)].append((new_codes[(province_key, ward_key)], "whole", False))
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, wards in divided.items():
            for ward in wards:
                new_code = new_codes[(province_key, ward["newWardKey"])]
                targets[_split_key(old_key)].append((new_code, "part", bool(ward["isDefaultNewWard"])))
    islands = _island_targets(old_units)
    for key, unit in old_units.items():
        for new_code, transfer, default in targets.get(key) or islands.get(key, []):
            rows.append(_legacy_row(unit, new_code, transfer, default))
    return tuple(rows)


def _split_key(old_key: str) -> tuple[str, str, str]:
    province, district, ward = old_key.split("_")
    return province, district, ward


@lru_cache(maxsize=1)
def _new_codes_by_key() -> dict[tuple[str, str], str]:
    """vietnamadminunits' (province key, ward key) → vietnam-provinces code."""
    ours = {their: our for (_province, our), their in _legacy_side_codes().items()}
    return {
        (unit["provinceKey"], unit["wardKey"]): ours[unit["wardCode"]]
        for unit in _dataset("SELECT provinceKey, wardKey, wardCode FROM admin_units")
        if unit["wardCode"] in ours
    }


def _island_targets(
    old_units: dict[tuple[str, str, str], sqlite3.Row],
) -> dict[tuple[str, str, str], list[tuple[str, str, bool]]]:
    """Island districts without communes (Côn Đảo, Lý Sơn, …) → the đặc khu of the same name."""
    new_province = _new_province_of_old()
    special_zones = {
        (commune.province_code, name_key(commune.short_name)): commune.code
        for commune in library_communes()
        if commune.kind == "đặc khu"
    }
    targets = {}
    for key, unit in old_units.items():
        if unit["wardKey"] is None:
            zone = special_zones.get((new_province[unit["provinceCode"]], name_key(unit["districtShort"])))
            if zone:
                targets[key] = [(zone, "whole", False)]
    return targets


@lru_cache(maxsize=1)
def _new_province_of_old() -> dict[str, str]:
    """Old province code → new province code, from the map itself (province merges are whole)."""
    new_code = _province_codes("admin_units")
    old_code = _province_codes("admin_units_legacy")
    return {old_code[old]: new_code[new] for new, olds in _converter()["DICT_PROVINCE"].items() for old in olds}


def _province_codes(table: str) -> dict[str, str]:
    rows = _dataset(f"SELECT provinceKey, provinceCode FROM {table}")
    return {row["provinceKey"]: row["provinceCode"] for row in rows}


@lru_cache(maxsize=1)
def _parser_legacy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_data_dir() / "parser_legacy.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _district_aliases() -> dict[tuple[str, str], str]:
    """(province key, district key) → the name of the district it was split from, when it was."""
    parser = _parser_legacy()
    aliases = {}
    for province_key, divided in parser["DICT_PROVINCE_DISTRICT_DIVIDED"].items():
        districts = parser["DICT_PROVINCE_DISTRICT"].get(province_key, {})
        for old_key, split in divided.items():
            old = districts.get(old_key)
            for new_key in split.get("districts", {}):
                if old is not None and new_key != old_key:
                    aliases[(province_key, new_key)] = _nfc(old["district"])
    return aliases


_KIND_PREFIXES = ("xa", "phuong", "thitran", "tt", "p", "x")


@lru_cache(maxsize=1)
def _ward_aliases() -> dict[tuple[str, str, str], str]:
    """(province, district, ward key) → another name of the ward in the parser's keywords ("nghiaho"
    for Phường Chũ, which took in Xã Nghĩa Hồ): keywords without a unit word, other than its own."""
    aliases = {}
    for province_key, districts in _parser_legacy()["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
        for district_key, wards in districts.items():
            for ward_key, ward in wards.items():
                words = set(ward["wardKeywords"])
                short = ward.get("wardShort")
                own = name_key(short) if isinstance(short, str) else ""
                others = [
                    word
                    for word in ward["wardKeywords"]
                    if word != own
                    and len(word) > 2
                    and not any(word == prefix + other for prefix in _KIND_PREFIXES for other in words)
                    and not any(word.startswith(prefix) and word[len(prefix) :] == own for prefix in _KIND_PREFIXES)
                ]
                if others:
                    aliases[(province_key, district_key, ward_key)] = others[0]
    return aliases


def _legacy_row(unit: sqlite3.Row, new_code: str, transfer: str, default: bool) -> LegacyRow:
    island = unit["wardKey"] is None
    key = (unit["provinceKey"], unit["districtKey"])
    return LegacyRow(
        old_code=unit["districtCode"] if island else unit["wardCode"],
        old_name=_nfc(unit["district"] if island else unit["ward"]),
        old_kind=ISLAND_KIND if island else _nfc(unit["wardType"]).lower(),
        old_district=_nfc(unit["district"]),
        old_district_code=unit["districtCode"],
        old_province=_nfc(unit["province"]),
        old_province_code=unit["provinceCode"],
        new_code=new_code,
        transfer=transfer,
        default_of_split=default,
        old_district_alias=_district_aliases().get(key, ""),
        old_name_alias="" if island else _ward_aliases().get((*key, unit["wardKey"]), ""),
    )


@lru_cache(maxsize=1)
def province_aliases() -> dict[str, str]:
    """Short forms people type for a province ("hcm", "tphcm", "hn", "brvt") → its official name.

    The package's own aliases, the same after "tp" for cities, and the
    initials of names of three words or more when no other province shares them.
    """
    aliases: dict[str, str] = {}
    names = set()
    for table in ("admin_units_legacy", "admin_units"):
        for row in _dataset(f"SELECT DISTINCT province, provinceShort, provinceAlias FROM {table}"):
            name = _nfc(row["province"])
            names.add((name, _nfc(row["provinceShort"])))
            for alias in json.loads(row["provinceAlias"] or "[]"):
                aliases[alias] = name
                if name.startswith("Thành phố "):
                    aliases[f"tp{alias}"] = name
    initials: dict[str, set[str]] = defaultdict(set)
    for name, short_name in names:
        words = fold(short_name).replace("-", " ").split()
        if len(words) >= 3:
            initials["".join(word[0] for word in words)].add(name)
    aliases.update(
        {key: next(iter(found)) for key, found in initials.items() if len(found) == 1 and key not in aliases}
    )
    return aliases
