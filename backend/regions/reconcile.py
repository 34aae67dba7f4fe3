"""Where the packages' data and a curated file disagree, one readable line per difference.

The curated file wins when loading (`loader.py`); this module says what that
overrides, so a package upgrade that changes anything shows up in
`tests/regions/test_reconciliation.py` and `manage.py load_regions --check`.
"""

from __future__ import annotations

from collections import defaultdict

from backend.regions import sources
from backend.regions.loader import Overlay, curated_provinces


def province_differences() -> list[str]:
    """The package's 34 provinces against fixtures/regions/provinces.json (names, kinds, commune counts)."""
    counts: dict[str, int] = defaultdict(int)
    for commune in sources.library_communes():
        counts[commune.province_code] += 1
    curated = curated_provinces()
    lines = [
        f"province {code}: only in provinces.json"
        for code in curated.keys() - {p.code for p in sources.library_provinces()}
    ]
    for province in sources.library_provinces():
        ours = curated.get(province.code)
        if ours is None:
            lines.append(f"province {province.code}: only in the package ({province.name!r})")
            continue
        if (ours["name"], ours["short_name"]) != (province.name, province.short_name):
            lines.append(f"province {province.code}: name {ours['name']!r}, package {province.name!r}")
        official = ours["commune_level_units"]["total"]
        if official != counts[province.code]:
            lines.append(f"province {province.code}: {official} communes, package {counts[province.code]}")
    return lines


def overlay_differences(overlay: Overlay) -> list[str]:
    """Every difference for the overlay's province: communes first, then the legacy map."""
    library = [row for row in sources.library_communes() if row.province_code == overlay.province_code]
    return _commune_differences(overlay, library) + _legacy_differences(overlay, library)


def _commune_differences(overlay: Overlay, library: list[sources.CommuneRow]) -> list[str]:
    lines = []
    by_code = {row.code: row for row in library}
    curated_codes = {row["code"] for row in overlay.communes}
    for row in overlay.communes:
        twin = by_code.get(row["code"])
        if twin is None:
            lines.append(_missing_code(row, library, curated_codes))
        elif twin.name != row["name"]:
            lines.append(f"commune {row['code']}: name {row['name']!r}, package {twin.name!r}")
    for twin in library:
        if twin.code not in curated_codes and not _same_name_in(twin.name, overlay.communes):
            lines.append(f"commune {twin.code}: only in the package ({twin.name!r})")
    return lines


def _missing_code(row: dict[str, str], library: list[sources.CommuneRow], curated_codes: set[str]) -> str:
    same_name = [twin for twin in library if sources.name_key(twin.name) == sources.name_key(row["name"])]
    if len(same_name) == 1 and same_name[0].code not in curated_codes:
        return f"commune {row['name']!r}: code {row['code']}, package {same_name[0].code}"
    return f"commune {row['code']}: only in the curated file ({row['name']!r})"


def _same_name_in(name: str, communes: list[dict[str, str]]) -> bool:
    return any(sources.name_key(row["name"]) == sources.name_key(name) for row in communes)


def _legacy_differences(overlay: Overlay, library: list[sources.CommuneRow]) -> list[str]:
    # Compare in curated codes, so a renumbered commune is one difference above, not one per row.
    renumbered = _renumbered(overlay, library)
    new_codes = {row.code for row in library}
    package: dict[str, list[sources.LegacyRow]] = defaultdict(list)
    for row in sources.library_legacy_map():
        if row.new_code in new_codes:
            package[row.old_code].append(row)
    curated: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in overlay.legacy_map:
        curated[item["old_code"]].append(item)
    lines = []
    for old_code in sorted(curated.keys() | package.keys()):
        ours, theirs = curated.get(old_code, []), package.get(old_code, [])
        if not theirs:
            lines.append(f"former unit {old_code} {ours[0]['old_name']!r}: not in the package")
        elif not ours:
            lines.append(f"former unit {old_code} {theirs[0].old_name!r}: only in the package")
        else:
            lines += _row_differences(old_code, ours, theirs, renumbered)
    return lines


def _row_differences(
    old_code: str, ours: list[dict[str, str]], theirs: list[sources.LegacyRow], renumbered: dict[str, str]
) -> list[str]:
    lines = []
    label = f"former unit {old_code} {ours[0]['old_name']!r}"
    if ours[0]["old_name"] != theirs[0].old_name:
        lines.append(f"{label}: package spells it {theirs[0].old_name!r}")
    targets = {(item["new_code"], item["transfer"]) for item in ours}
    package_targets = {(renumbered.get(row.new_code, row.new_code), row.transfer) for row in theirs}
    if targets != package_targets:
        lines.append(f"{label}: goes to {sorted(targets)}, package {sorted(package_targets)}")
    if len(theirs) > 1:
        default = [renumbered.get(row.new_code, row.new_code) for row in theirs if row.default_of_split]
        lines.append(f"{label}: split; the package's converter picks {default[0] if default else 'none'} by default")
    return lines


def _renumbered(overlay: Overlay, library: list[sources.CommuneRow]) -> dict[str, str]:
    """Package code → curated code, for communes the two number differently."""
    curated = {sources.name_key(row["name"]): row["code"] for row in overlay.communes}
    return {
        row.code: curated[sources.name_key(row.name)]
        for row in library
        if curated.get(sources.name_key(row.name), row.code) != row.code
    }
