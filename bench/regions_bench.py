"""National regions: old-address conversion in process, and loading the data.

Conversion is timed on the service (`convert_legacy_address`) over a fixed,
seeded sample of the national legacy map: exact names, the same typed
messily, split units (AMBIGUOUS) and misses (NOT_FOUND with suggestions). The
package's own converter (`vietnamadminunits.convert_address`) is timed on the
same exact addresses, for the choice between materialising the map and
calling the package. Loading is timed on empty tables inside a transaction
that is rolled back.

    python -m bench.regions_bench
"""

from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Callable

from bench.timing import measure, report

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

SEED = 2025
SAMPLE = 400


class _Rollback(Exception):
    pass


def _messy(name: str) -> str:
    from backend.core.text import fold

    folded = fold(name)
    for word, short in (("thi tran ", "tt "), ("phuong ", "p."), ("xa ", "x. "), ("huyen ", "h. "), ("quan ", "q.")):
        if folded.startswith(word):
            return short + folded[len(word) :].upper()
    return folded


def _addresses() -> dict[str, list[tuple[str, str, str]]]:
    from backend.regions import sources

    rows = list(sources.library_legacy_map())
    random.Random(SEED).shuffle(rows)
    whole = [row for row in rows if row.transfer == "whole"][:SAMPLE]
    split = [row for row in rows if row.transfer == "part"][: SAMPLE // 4]
    return {
        "exact": [(row.old_name, row.old_district, row.old_province) for row in whole],
        "messy": [(_messy(row.old_name), _messy(row.old_district), _messy(row.old_province)) for row in whole],
        "split": [(row.old_name, row.old_district, row.old_province) for row in split],
        "miss": [(f"{row.old_name} Mới", row.old_district, row.old_province) for row in whole[: SAMPLE // 4]],
    }


def _cycle(addresses: list[tuple[str, str, str]], convert: Callable[..., object]) -> Callable[[], None]:
    items = itertools.cycle(addresses)

    def run() -> None:
        ward, district, province = next(items)
        convert(ward=ward, district=district, province=province)

    return run


def run() -> None:
    from django.db import transaction

    from backend.regions.loader import load_regions, region_data
    from backend.regions.models import Commune, LegacyUnit, Province
    from backend.regions.services import convert_legacy_address

    load_regions()
    addresses = _addresses()
    print("national regions (in process, sequential)")
    for name, items in addresses.items():
        report(f"convert_legacy_address, {name}", measure(_cycle(items, convert_legacy_address), repeat=len(items)))
    mixed = [*addresses["exact"], *addresses["messy"], *addresses["split"], *addresses["miss"]]
    random.Random(SEED).shuffle(mixed)
    report("convert_legacy_address, mixed", measure(_cycle(mixed, convert_legacy_address), repeat=len(mixed)))

    from vietnamadminunits import convert_address

    def package(*, ward: str, district: str, province: str) -> None:
        convert_address(f"{ward}, {district}, {province}")

    report("vietnamadminunits.convert_address, exact", measure(_cycle(addresses["exact"], package), repeat=100))

    started = time.perf_counter()
    region_data.cache_clear()
    region_data()
    print(f"  reading the packages' data (once per process)      {time.perf_counter() - started:7.2f} s")
    started = time.perf_counter()
    try:
        with transaction.atomic():
            LegacyUnit.objects.all().delete()
            Commune.objects.all().delete()
            Province.objects.all().delete()
            emptied = time.perf_counter()
            counts = load_regions()
            loaded = time.perf_counter()
            raise _Rollback
    except _Rollback:
        pass
    print(f"  load_regions on empty tables ({counts['communes']} communes, {counts['legacy_units']} legacy rows)")
    print(f"    {loaded - emptied:7.2f} s (emptying the tables first: {emptied - started:.2f} s)")
    report("load_regions when loaded (count check)", measure(load_regions, repeat=50))


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    run()
