"""Matching our places to a carrier's master-data ids, without a database.

Carriers may still key addresses on the pre-2025 (ward, district, province) structure with their own
ids (GHN `district_id` + `ward_code`, Viettel Post `*_ID`). The backend feeds `match_locations` its
legacy units (and, for carriers already on the two-tier structure, its 2025 communes) and the
carrier's `MasterData`; it stores `mapping` per carrier and reports `unmatched` so a commune that a
carrier cannot serve gives a clear error at checkout rather than a rejected shipment.

Names are compared on a compact key: folded (no diacritics), without the unit-type word ("Phường",
"P.", "TP", "Huyện", "H."), numbers without leading zeros, same-name spellings merged (Đắk/Đăk/Đắc,
Quí/Quý), spaces removed: "P. 07" and "Phường 7" → "7"; "TP Đà Lạt" and "Thành phố Đà Lạt" → "dalat".
Wards are only ever compared inside their matched district, because ward names repeat ("Phường 7",
"Xã Tân Hà" in three districts). Ties between e.g. "Thị trấn X" and "Xã X" are broken by the type word."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from shipping.base import CarrierPlace, CarrierUnit, MasterData, UnitLevel
from shipping.common import fold

NOT_FOUND = "NOT_FOUND"
AMBIGUOUS = "AMBIGUOUS"
NO_DISTRICT = "NO_DISTRICT"  # a two-tier (2025) commune, but the carrier's data still has districts

# Unit-type words, folded, longest first; the second item is the kind the word implies (for ties).
_TYPE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (("thanh", "pho"), "city"),
            (("thi", "xa"), "town"),
            (("thi", "tran"), "township"),
            (("dac", "khu"), "special"),
            (("tinh",), "province"),
            (("huyen",), "district"),
            (("quan",), "district"),
            (("phuong",), "ward"),
            (("xa",), "commune"),
            (("tp",), "city"),
            (("tx",), "town"),
            (("tt",), "township"),
            (("p",), "ward"),
            (("x",), "commune"),
            (("q",), "district"),
            (("h",), "district"),
            (("t",), "province"),
        ),
        key=lambda item: -len(item[0]),
    )
)
_GLUED_NUMBER = re.compile(r"^(?:phuong|p|quan|q|xa|x)(\d+)$")
_SAME_SPELLING = {"dac": "dak", "qui": "quy"}


def place_key(name: str) -> tuple[str, str]:
    """(compact key, implied kind) of a unit name written any way."""
    tokens = fold(name).split()
    kind = ""
    for words, implied in _TYPE_WORDS:
        if len(tokens) > len(words) and tuple(tokens[: len(words)]) == words:
            tokens, kind = tokens[len(words) :], implied
            break
    else:
        if len(tokens) == 1 and (glued := _GLUED_NUMBER.match(tokens[0])):
            tokens = [glued.group(1)]
    normalized = [str(int(token)) if token.isdigit() else _SAME_SPELLING.get(token, token) for token in tokens]
    return "".join(normalized), kind


@dataclass(frozen=True)
class OurUnit:
    """One of our places to map. `key` is the backend's own key for the mapping row (e.g. the legacy
    unit's former code, or the 2025 commune code). Leave `district_name` empty for a 2025 commune."""

    key: str
    ward_name: str
    province_name: str
    district_name: str = ""
    ward_code: str = ""
    district_code: str = ""
    province_code: str = ""
    ward_aliases: tuple[str, ...] = ()
    district_aliases: tuple[str, ...] = ()  # e.g. the district's name before the 2024 merger


@dataclass(frozen=True)
class Unmatched:
    unit: OurUnit
    level: UnitLevel  # where matching stopped
    reason: str  # NOT_FOUND | AMBIGUOUS | NO_DISTRICT
    candidates: tuple[str, ...] = ()  # the carrier's names when AMBIGUOUS


@dataclass(frozen=True)
class LocationMatch:
    carrier_id: str
    mapping: Mapping[str, CarrierPlace] = field(default_factory=dict)
    unmatched: tuple[Unmatched, ...] = ()


class _Index:
    """Carrier units of one level, grouped by parent id, looked up by key (name and aliases)."""

    def __init__(self, units: Iterable[CarrierUnit]) -> None:
        self.by_parent: dict[str, dict[str, dict[str, CarrierUnit]]] = defaultdict(lambda: defaultdict(dict))
        self.kinds: dict[str, set[str]] = defaultdict(set)
        self.codes: dict[str, dict[str, CarrierUnit]] = defaultdict(dict)
        for unit in units:
            for name in (unit.name, *unit.aliases):
                key, kind = place_key(name)
                if key:
                    self.by_parent[unit.parent_id][key][unit.id] = unit
                    if kind:
                        self.kinds[unit.id].add(kind)
            if unit.code:
                self.codes[unit.parent_id][unit.code] = unit

    def has_parent(self, parent_id: str) -> bool:
        return parent_id in self.by_parent

    def find(self, parent_id: str, names: Sequence[str], code: str) -> list[CarrierUnit]:
        """Units under `parent_id` named like `names[0]` (or an alias); ties broken by the type word,
        then by `code`; the carrier's code alone when no name matches."""
        within = self.by_parent.get(parent_id, {})
        for name in names:
            key, kind = place_key(name)
            found = list(within.get(key, {}).values())
            if len(found) > 1 and kind:
                same_kind = [unit for unit in found if kind in self.kinds[unit.id]]
                found = same_kind or found
            if len(found) > 1 and code:
                found = [unit for unit in found if unit.code == code] or found
            if found:
                return found
        by_code = self.codes.get(parent_id, {}).get(code) if code else None
        return [by_code] if by_code else []


def _one(found: list[CarrierUnit], unit: OurUnit, level: UnitLevel, unmatched: list[Unmatched]) -> CarrierUnit | None:
    if len(found) == 1:
        return found[0]
    reason = AMBIGUOUS if found else NOT_FOUND
    unmatched.append(Unmatched(unit, level, reason, tuple(sorted(candidate.name for candidate in found))))
    return None


def match_locations(units: Iterable[OurUnit], master: MasterData) -> LocationMatch:
    """Map each unit to the carrier's (province, district, ward) ids; list those that could not be."""
    provinces = _Index(master.provinces)
    districts = _Index(master.districts)
    wards = _Index(master.wards)
    mapping: dict[str, CarrierPlace] = {}
    unmatched: list[Unmatched] = []
    for unit in units:
        province = _one(
            provinces.find("", [unit.province_name], unit.province_code), unit, UnitLevel.PROVINCE, unmatched
        )
        if province is None:
            continue
        ward_names = [unit.ward_name, *unit.ward_aliases]
        if not unit.district_name:
            if not wards.has_parent(province.id):  # the carrier's wards hang under districts only
                unmatched.append(Unmatched(unit, UnitLevel.DISTRICT, NO_DISTRICT))
                continue
            ward = _one(wards.find(province.id, ward_names, unit.ward_code), unit, UnitLevel.WARD, unmatched)
            if ward is not None:
                mapping[unit.key] = CarrierPlace(province_id=province.id, ward_id=ward.id)
            continue
        district_names = [unit.district_name, *unit.district_aliases]
        found = districts.find(province.id, district_names, unit.district_code)
        district = _one(found, unit, UnitLevel.DISTRICT, unmatched)
        if district is None:
            continue
        ward = _one(wards.find(district.id, ward_names, unit.ward_code), unit, UnitLevel.WARD, unmatched)
        if ward is not None:
            mapping[unit.key] = CarrierPlace(province_id=province.id, district_id=district.id, ward_id=ward.id)
    return LocationMatch(carrier_id=master.carrier_id, mapping=mapping, unmatched=tuple(unmatched))


def province_filter(names: Sequence[str]) -> set[str]:
    """Keys of the province names a caller asked master data for (empty: all provinces)."""
    return {place_key(name)[0] for name in names if name.strip()}


def wanted(unit: CarrierUnit, keys: set[str]) -> bool:
    """Whether a carrier province is among `keys` (by its name or any alias); all when `keys` is empty."""
    return not keys or any(place_key(name)[0] in keys for name in (unit.name, *unit.aliases))
