"""Run every benchmark module and print its figures."""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime

from bench.timing import UNTHROTTLED

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
# The in-process benchmarks (api, experiences) read the settings of this process.
for _name, _value in UNTHROTTLED.items():
    os.environ.setdefault(_name, _value)


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from bench import (
        api_bench,
        catalog_bench,
        checkout_bench,
        dashboard_bench,
        experiences_bench,
        regions_bench,
        search_bench,
        web_bench,
    )

    print(f"Chợ Phiên benchmarks, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    from django.db import connection

    print(f"database: {connection.vendor}")
    api_bench.run()
    regions_bench.run()
    catalog_bench.run()
    search_bench.run()
    checkout_bench.run()
    experiences_bench.run()
    web_bench.run()
    dashboard_bench.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
