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
from difflib import SequenceMatcher
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ErrorDetail
from backend.core.text import search_key
from backend.regions.models import Commune, LegacyUnit

MAX_SUGGESTIONS = 5

MSG_WARD_REQUIRED = _("Enter the former ward, commune or town.")
MSG_SPLIT = _("This former commune was split between several new communes. Please choose the one where the address is.")
MSG_SEVERAL = _("Several former units have this name. Enter the former district or choose the right commune.")
MSG_NOT_FOUND = _("We could not find this former address. Check the spelling or choose one of the suggested communes.")
MSG_UNKNOWN_PROVINCE = _("Only former addresses in Lâm Đồng, Đắk Nông and Bình Thuận can be converted.")

# Unit-type words and their abbreviations, folded, longest first so that
# "thi xa" wins over "xa". The second item is the old unit kind the word implies
# (used only to break ties such as "Thị trấn Ma Đa Guôi" vs "Xã Ma Đa Guôi").
_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (("thi", "tran"), "thị trấn"),
            (("thi", "xa"), ""),
            (("thanh", "pho"), ""),
            (("dac", "khu"), ""),
            (("phuong",), "phường"),
            (("xa",), "xã"),
            (("huyen",), ""),
            (("quan",), ""),
            (("tinh",), ""),
            (("tt",), "thị trấn"),
            (("tx",), ""),
            (("tp",), ""),
            (("p",), "phường"),
            (("x",), "xã"),
            (("h",), ""),
            (("q",), ""),
            (("t",), ""),
        ),
        key=lambda item: -len(item[0]),
    )
)
# "p7", "phuong7", "q1": a type letter glued to a number.
_GLUED_NUMBER = re.compile(r"(?:phuong|p|xa|x|quan|q)(\d+)")
# Spelling variants that are the same name: Đắk/Đăk/Đắc, Quí/Quý.
_SAME_TOKEN = {"dac": "dak", "qui": "quy"}
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def split_unit_name(text: str) -> tuple[str, str]:
    """(compact key, implied old kind) of a unit name typed any way.

    "TT. Liên Nghĩa" → ("liennghia", "thị trấn"); "p.07" → ("7", "phường");
    "Đắk R'Lấp" / "Dak RLap" / "Đăk R Lấp" → ("dakrlap", "").
    """
    tokens = search_key(text).split()
    kind = ""
    for words, implied in _PREFIXES:
        # Keep the word when it is the whole name ("Xã" alone is no name).
        if len(tokens) > len(words) and tuple(tokens[: len(words)]) == words:
            tokens, kind = tokens[len(words) :], implied
            break
    else:
        if len(tokens) == 1 and (glued := _GLUED_NUMBER.fullmatch(tokens[0])):
            tokens = [glued.group(1)]
    # "07" and "7" are the same ward number.
    normalized = [str(int(token)) if token.isdigit() else _SAME_TOKEN.get(token, token) for token in tokens]
    return "".join(normalized), kind


def legacy_key(text: str) -> str:
    """Compact matching key: folded, no unit-type word, no spaces/apostrophes.

    "H. Đức Trọng" → "ductrong"; "Thành phố Đà Lạt" / "tp da lat" → "dalat".
    """
    return split_unit_name(text)[0]


def fill_legacy_keys(unit: LegacyUnit) -> LegacyUnit:
    """Set the folded keys of a legacy row from its names (loader and admin)."""
    unit.ward_key = legacy_key(unit.old_name)
    alias_key = legacy_key(unit.old_name_alias) if unit.old_name_alias else ""
    unit.ward_alias_key = alias_key if alias_key != unit.ward_key else ""
    unit.district_key = legacy_key(unit.old_district)
    unit.district_before_2024_key = legacy_key(unit.old_district_before_2024) if unit.old_district_before_2024 else ""
    unit.province_key = legacy_key(unit.old_province)
    return unit


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


def convert_legacy_address(*, ward: str, district: str, province: str) -> LegacyConversion:
    """Map a pre-July-2025 (ward, district, province) to the new commune.

    Accepts names with or without diacritics, unit-type words or their
    abbreviations. `district` may be the district just before the reform or,
    for Đạ Tẻh and Cát Tiên, the one before the 2024 merger; it may be empty,
    in which case the ward must be unique in the province. `province` is the
    old province or the new one; empty means any. Never guesses between
    places: several matches give AMBIGUOUS with the candidates, no match gives
    NOT_FOUND with up to five suggestions. Costs one query, two on a miss.
    """
    ward_key, kind = split_unit_name(ward)
    query = _Query(ward=ward_key, kind=kind, district=legacy_key(district), province=legacy_key(province))
    if not query.ward:
        return LegacyConversion(errors=[ErrorDetail(code="REQUIRED", message=MSG_WARD_REQUIRED, field="ward")])

    rows = list(_legacy_rows().filter(Q(ward_key=query.ward) | Q(ward_alias_key=query.ward)))
    if hits := _exact(rows, query):
        return _resolve(hits)

    # Miss: look at the whole (small: a few hundred rows) map for typos and suggestions.
    all_rows = list(_legacy_rows())
    errors: list[ErrorDetail] = []
    known_provinces = {row.province_key for row in all_rows} | {_new_province_key(row) for row in all_rows}
    if query.province and query.province not in known_provinces:
        closest = _closest_within_tolerance(query.province, known_provinces)
        if closest is None:
            errors.append(ErrorDetail(code="NOT_FOUND", message=MSG_UNKNOWN_PROVINCE, field="province"))
            query = replace(query, province="")
        else:
            query = replace(query, province=closest)
            if hits := _exact([row for row in all_rows if query.ward in _ward_keys(row)], query):
                return _resolve(hits)

    if not errors and not _is_new_commune_name(all_rows, query) and (hits := _typo_match(all_rows, query)):
        return _resolve(hits)
    errors.append(ErrorDetail(code="NOT_FOUND", message=MSG_NOT_FOUND, field="ward"))
    return LegacyConversion(candidates=_suggestions(all_rows, query), errors=errors)


def _legacy_rows() -> QuerySet[LegacyUnit]:
    return LegacyUnit.objects.select_related("commune__province").order_by("old_code", "commune__code")


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
    return hits


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


def _tolerance(key: str) -> int:
    # Folded short names are often one letter from another real unit ("tanha"
    # / "tanhai", "7" / "8"), so they get no typo allowance; long ones a little.
    if len(key) < 6:
        return 0
    return 1 if len(key) < 12 else 2


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short, so the plain DP is enough)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > 2:
        return abs(len(a) - len(b))  # a lower bound, enough for tolerances ≤ 2
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _closest_within_tolerance(key: str, choices: Iterable[str]) -> str | None:
    scored = sorted((_distance(key, choice), choice) for choice in choices)
    if not scored or scored[0][0] > _tolerance(key):
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


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
        ward_distance = min(_distance(query.ward, key) for key in _ward_keys(row))
        if ward_distance > _tolerance(query.ward):
            continue
        district_distance = min(_distance(query.district, key) for key in _district_keys(row))
        close = (district_distance == 0 and ward_distance <= _tolerance(query.ward)) or (
            ward_distance == 0 and district_distance <= _tolerance(query.district)
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


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bound skips most rows before the real ratio is computed.
    return matcher.ratio() if matcher.real_quick_ratio() >= 0.5 else 0.0


def _commune_keys(commune: Commune) -> set[str]:
    return {legacy_key(commune.name), legacy_key(commune.short_name)}


def _is_new_commune_name(rows: Iterable[LegacyUnit], query: _Query) -> bool:
    typed = {query.ward, query.ward + query.district}
    return any(typed & _commune_keys(row.commune) for row in rows)


def _suggestions(rows: list[LegacyUnit], query: _Query) -> list[Commune]:
    """Up to five new communes, closest first.

    A new commune whose name was typed as the ward comes first (people often
    already use the new name); then communes of legacy rows ranked by ward
    similarity, preferring the same district, the exact old name and the
    same province.
    """
    typed = {query.ward, query.ward + query.district}
    scores: dict[int, tuple[float, Commune]] = {}
    for row in rows:
        commune = row.commune
        if typed & _commune_keys(commune):
            score = 10.0
        else:
            similarity = max(_similarity(query.ward, key) for key in _ward_keys(row))
            same_district = bool(query.district) and query.district in _district_keys(row)
            # Elsewhere only clearly similar names are worth showing.
            if not same_district and similarity < 0.75:
                continue
            rank = _province_rank(row, query.province) if query.province else None
            province_bonus = 0.1 if rank == 0 else 0.05 if rank == 1 else 0.0
            # The exact old name in another district weighs like the district:
            # the district is the part people most often get wrong.
            score = similarity + 0.5 * (same_district or similarity == 1.0) + province_bonus
        if commune.pk not in scores or scores[commune.pk][0] < score:
            scores[commune.pk] = (score, commune)
    ranked = sorted(scores.values(), key=lambda item: (-item[0], item[1].name))
    return [commune for _score, commune in ranked[:MAX_SUGGESTIONS]]
