"""Convert pre-reform addresses (ward, district, province) to today's communes.

Old addresses stay on ID cards, land certificates and sellers' records for
years, typed in every possible way: "P.7, TP Đà Lạt", "tt lien nghia",
"Xã Tân Hà, H. Lâm Hà". Matching therefore runs on compact folded keys
(`legacy_key`) and always on (ward, district, province) together, because old
ward names repeat across districts ("Tân Hà" → three different communes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from backend.core.errors import ErrorDetail
from backend.regions import lookup
from backend.regions.keys import accented_name, has_marks, legacy_key, split_unit_name
from backend.regions.matching import closest_within_tolerance, distance, similarity, tolerance
from backend.regions.models import Commune, LegacyUnit
from backend.regions.sources import ISLAND_KIND

MAX_SUGGESTIONS = 5

MSG_WARD_REQUIRED = _("Enter the former ward, commune or town.")
MSG_SPLIT = _("This former commune was split between several new communes. Please choose the one where the address is.")
MSG_SEVERAL = _("Several former units have this name. Enter the former district or choose the right commune.")
MSG_NOT_FOUND = _("We could not find this former address. Check the spelling or choose one of the suggested communes.")
MSG_UNKNOWN_PROVINCE = _("We do not know this former province. Check its name.")
_DIGITS = re.compile(r"\d+")


@dataclass
class LegacyConversion:
    """Result of `convert_legacy_address`.

    `commune` is set only when the old address maps to exactly one new
    commune; `candidates` then holds that commune. Otherwise `commune` is None,
    `candidates` holds the communes to choose from (or suggestions) and
    `errors` says why (AMBIGUOUS, NOT_FOUND, REQUIRED).
    """

    commune: Commune | None = None
    candidates: list[Commune] = field(default_factory=list)
    errors: list[ErrorDetail] = field(default_factory=list)


@dataclass(frozen=True)
class _Query:
    ward: str
    kind: str
    district: str
    province: str
    accented: str = ""  # the ward as typed, diacritics kept (see `_exact`)


def convert_legacy_address(*, ward: str, district: str, province: str) -> LegacyConversion:
    """Map a pre-July-2025 (ward, district, province) to the new commune.

    Works for the 63 former provinces. Accepts names with or without
    diacritics, unit-type words or their abbreviations, and short forms of
    provinces ("TP HCM"). `district` may be the district just before the
    reform or, where the map knows it, the one before the 2024 merger; it may
    be empty, in which case the ward must be unique in the province. `ward`
    may be empty for an island district that had no communes (Côn Đảo).
    `province` is the old province or the new one; empty means any. Never
    guesses between places: several matches give AMBIGUOUS with the
    candidates, no match gives NOT_FOUND with up to five suggestions. Costs
    one query on a hit, a handful on a miss (see `lookup`).
    """
    ward_key, kind = split_unit_name(ward)
    query = _Query(
        ward=ward_key,
        kind=kind,
        district=legacy_key(district),
        province=lookup.canonical_province(legacy_key(province)),
        # Only marks actually typed can tell namesakes apart: "Nga Thanh" typed bare may be "Nga Thạnh".
        accented=accented_name(ward) if has_marks(ward) else "",
    )
    if not query.ward:
        islands = [row for row in lookup.rows_by_ward(query.district) if row.old_kind == ISLAND_KIND]
        if query.district and (hits := _exact(islands, replace(query, ward=query.district))):
            return _resolve(hits)
        return LegacyConversion(errors=[ErrorDetail(code="REQUIRED", message=MSG_WARD_REQUIRED, field="ward")])

    rows = lookup.rows_by_ward(query.ward)
    if hits := _exact(rows, query):
        return _resolve(hits)

    errors: list[ErrorDetail] = []
    if query.province and query.province not in (known := lookup.known_provinces()):
        closest = closest_within_tolerance(query.province, known)
        if closest is None:
            errors.append(ErrorDetail(code="NOT_FOUND", message=MSG_UNKNOWN_PROVINCE, field="province"))
            query = replace(query, province="")
        else:
            query = replace(query, province=closest)
            if hits := _exact(rows, query):
                return _resolve(hits)

    nearby = _unique([*rows, *lookup.nearby_rows(ward=query.ward, district=query.district, province=query.province)])
    named = lookup.communes_named(ward, query.district, province=query.province)
    # A new commune's name typed as the ward is no typo of an old one.
    typo = [] if named else _typo_match(nearby, query)
    if not errors and (hits := typo or _without_unknown_district(rows, nearby, query)):
        return _resolve(hits)
    errors.append(ErrorDetail(code="NOT_FOUND", message=MSG_NOT_FOUND, field="ward"))
    return LegacyConversion(candidates=_suggestions(nearby, named, query), errors=errors)


def _without_unknown_district(rows: list[LegacyUnit], nearby: list[LegacyUnit], query: _Query) -> list[LegacyUnit]:
    """The ward alone decides when the district is no district of the province at all.

    Such a district is an older name (Huyện Lục Ngạn became Thị xã Chũ early
    in 2025, before the reform), not a wrong one; a wrong but real district
    still gives NOT_FOUND ("Tân Hà" in Di Linh).
    """
    if not (query.district and query.province):
        return []
    in_province = [row for row in nearby if _province_rank(row, query.province) is not None]
    if any(query.district in _district_keys(row) for row in in_province):
        return []
    return _exact(rows, replace(query, district=""))


def _unique(rows: Iterable[LegacyUnit]) -> list[LegacyUnit]:
    return list({row.pk: row for row in rows}.values())


def _ward_keys(row: LegacyUnit) -> tuple[str, ...]:
    return (row.ward_key, row.ward_alias_key) if row.ward_alias_key else (row.ward_key,)


def _district_keys(row: LegacyUnit) -> tuple[str, ...]:
    if row.district_before_2024_key:
        return (row.district_key, row.district_before_2024_key)
    return (row.district_key,)


def _new_province_key(row: LegacyUnit) -> str:
    return legacy_key(row.commune.province.short_name)


def _province_rank(row: LegacyUnit, province: str) -> int | None:
    """0: the old province (or none given), 1: the new province, None: neither.

    The new name is accepted because people mix tiers ("Phường Mũi Né, TP Phan
    Thiết, Lâm Đồng"); the old district still pins the place down.
    """
    if not province or province == row.province_key:
        return 0
    if province == _new_province_key(row):
        return 1
    return None


def _exact(rows: Iterable[LegacyUnit], query: _Query) -> list[LegacyUnit]:
    ranked = [(rank, row) for row in rows if (rank := _province_rank(row, query.province)) is not None]
    if query.district:
        ranked = [(rank, row) for rank, row in ranked if query.district in _district_keys(row)]
    if not ranked:
        return []
    best = min(rank for rank, _row in ranked)
    hits = [row for rank, row in ranked if rank == best]
    if query.kind:
        hits = [row for row in hits if row.old_kind == query.kind] or hits
    if query.accented and len({row.commune_id for row in hits}) > 1:
        # Two units of one district whose names differ only by their marks ("Minh Quán" and
        # "Minh Quân", Trấn Yên) went to different communes: the marks typed decide, if any.
        hits = [row for row in hits if query.accented.endswith(accented_name(_name_without_kind(row)))] or hits
    return hits


def _name_without_kind(row: LegacyUnit) -> str:
    name = row.old_name
    return name[len(row.old_kind) :] if name.lower().startswith(row.old_kind) else name


def _resolve(rows: list[LegacyUnit]) -> LegacyConversion:
    communes = sorted({row.commune_id: row.commune for row in rows}.values(), key=lambda commune: commune.name)
    split = any(row.transfer == LegacyUnit.Transfer.PART for row in rows)
    if len(communes) == 1 and not split:
        return LegacyConversion(commune=communes[0], candidates=communes)
    if split:
        error = ErrorDetail(code="AMBIGUOUS", message=MSG_SPLIT, field="ward")
    else:
        error = ErrorDetail(code="AMBIGUOUS", message=MSG_SEVERAL, field="district")
    return LegacyConversion(candidates=communes, errors=[error])


def _typo_match(rows: Iterable[LegacyUnit], query: _Query) -> list[LegacyUnit]:
    """Rows one small typo away, in ward OR district (never both), if unique.

    Needs a district: a ward name alone is too weak to correct. Numbers must
    agree exactly ("Phường 1" is no typo of "Phường 2").
    """
    if not query.district:
        return []
    digits = _DIGITS.findall(query.ward)
    best: int | None = None
    hits: list[LegacyUnit] = []
    for row in rows:
        if _province_rank(row, query.province) is None or _DIGITS.findall(row.ward_key) != digits:
            continue
        ward_distance = min(distance(query.ward, key) for key in _ward_keys(row))
        if ward_distance > tolerance(query.ward):
            continue
        district_distance = min(distance(query.district, key) for key in _district_keys(row))
        close = (district_distance == 0 and ward_distance <= tolerance(query.ward)) or (
            ward_distance == 0 and district_distance <= tolerance(query.district)
        )
        if not close:
            continue
        score = ward_distance + district_distance
        if best is None or score < best:
            best, hits = score, [row]
        elif score == best:
            hits.append(row)
    # Equally close different places: do not guess.
    if len({row.old_code for row in hits}) == 1 or len({row.commune_id for row in hits}) == 1:
        return hits
    return []


def _suggestions(rows: list[LegacyUnit], named: list[Commune], query: _Query) -> list[Commune]:
    """Up to five new communes, closest first.

    A new commune whose name was typed as the ward comes first (people often
    already use the new name); then communes of legacy rows ranked by ward
    similarity, preferring the same district, the exact old name and the
    same province.
    """
    scores: dict[int, tuple[float, Commune]] = {commune.pk: (10.0, commune) for commune in named}
    for row in rows:
        commune = row.commune
        alike = max(similarity(query.ward, key) for key in _ward_keys(row))
        same_district = bool(query.district) and query.district in _district_keys(row)
        # Elsewhere only clearly similar names are worth showing.
        if not same_district and alike < lookup.SIMILAR:
            continue
        rank = _province_rank(row, query.province) if query.province else None
        province_bonus = 0.1 if rank == 0 else 0.05 if rank == 1 else 0.0
        # The exact old name in another district weighs like the district:
        # the district is the part people most often get wrong. Both together
        # (only the province was wrong) weigh a little more.
        exact = alike == 1.0
        score = alike + 0.5 * (same_district or exact) + 0.2 * (same_district and exact) + province_bonus
        if commune.pk not in scores or scores[commune.pk][0] < score:
            scores[commune.pk] = (score, commune)
    ranked = sorted(scores.values(), key=lambda item: (-item[0], item[1].name))
    return [commune for _score, commune in ranked[:MAX_SUGGESTIONS]]
