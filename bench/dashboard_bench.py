"""Province dashboard latency over a year of generated trade.

Runs against PostgreSQL (BENCH_REPORTS_DATABASE_URL, default the local server's
`chophien_bench_reports` database, kept apart from the other benchmarks' databases). The setup
step migrates it and, when it holds fewer than BENCH_REPORT_ORDERS (200000) orders, runs
`manage.py generate_orders` for the rest over 12 months (timed). Then, in a fresh process, it times
`province_dashboard` for Lâm Đồng over the last 12 months, directly through the selector and through
the `provinceDashboard` GraphQL query (Django test client, a province admin's token), and prints
p50/p95 over BENCH_REPORT_RUNS (7) runs after one warm-up, with the SQL statement count.

`python -m bench.dashboard_bench --measure` runs only the timing against the configured database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from bench.catalog_bench import PYTHON, ROOT, _ensure_database, _env

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chophien_bench_reports"

QUERY = """query D($from: Date!, $to: Date!) {
  provinceDashboard(province: "lam-dong", dateFrom: $from, dateTo: $to) {
    gmv { amount } orders goodsGmv { amount } ocopShare
    byCommune { commune { code name } gmv { amount } orders sellersApproved sellersPending sellersSuspended covered }
    byCategory { name gmv { amount } ocopGmv { amount } orders }
    byDay { day gmv { amount } orders }
    coverage { communesTotal communesCovered uncovered { code } }
    onboarding { decided medianHours p90Hours }
    experiences { bookings participants checkInRate }
    topProducts { name sellerName gmv { amount } quantity }
    topSellers { name communeName gmv { amount } orders }
  }
}"""


def measure() -> None:
    """Time the dashboard in this process (DJANGO_SETTINGS_MODULE and the database already set)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from backend.accounts.models import ProvinceAdminScope, User
    from backend.accounts.tokens import access_token_for
    from backend.orders.models import Order
    from backend.regions.models import Province
    from backend.reports.selectors import province_dashboard
    from bench.timing import report

    runs = int(os.environ.get("BENCH_REPORT_RUNS", "7"))
    province = Province.objects.get(slug="lam-dong")
    date_to = timezone.localdate()
    date_from = date_to - timedelta(days=364)
    print(f"  {Order.objects.count()} orders in the database, range {date_from} .. {date_to}")

    def selector() -> object:
        return province_dashboard(province=province, date_from=date_from, date_to=date_to)

    with CaptureQueriesContext(connection) as captured:
        figures = province_dashboard(province=province, date_from=date_from, date_to=date_to)
    print(
        f"  GMV {figures.gmv:,} đ, {figures.orders:,} orders, {len(figures.by_day)} days; "
        f"{len(captured.captured_queries)} SQL statements"
    )
    report("province_dashboard (selector), 12 months", _timed(selector, runs))

    admin, _created = User.objects.get_or_create(email="bench-province-admin@chophien.vn", defaults={"is_staff": True})
    ProvinceAdminScope.objects.get_or_create(user=admin, defaults={"province": province})
    client = Client()
    headers = {"Authorization": f"Bearer {access_token_for(admin)}"}
    variables = {"from": date_from.isoformat(), "to": date_to.isoformat()}

    def graphql() -> object:
        response = client.post(
            "/graphql/", {"query": QUERY, "variables": variables}, content_type="application/json", headers=headers
        )
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body.get("errors")
        return body

    report("provinceDashboard (GraphQL, in process), 12 months", _timed(graphql, runs))
    reset_queries()


def _timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    """p50/p95 in ms over `runs` calls after one warm-up (a dashboard call takes too long for
    bench.timing.measure's five warm-ups)."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95_index = min(len(samples) - 1, max(0, round(len(samples) * 0.95) - 1))
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[p95_index],
        "per_s": 1000 / statistics.mean(samples),
    }


def run() -> None:
    database_url = os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_DB)
    wanted = int(os.environ.get("BENCH_REPORT_ORDERS", "200000"))
    print(f"province dashboard: {wanted} generated orders over 12 months, PostgreSQL")
    try:
        _ensure_database(database_url)
    except Exception as exc:  # noqa: BLE001 - report and skip rather than crash the other benchmarks
        print(f"  skipped: PostgreSQL not reachable at {database_url} ({exc})")
        return
    env = _env(database_url, VAR_DIR=os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench-reports")))
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    env["SEARCH_AUTO_INDEX"] = "0"
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    count = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", "from backend.orders.models import Order; print(Order.objects.count())"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    have = int(count.stdout.strip().splitlines()[-1])
    if have < wanted:
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "manage.py", "generate_orders", "--orders", str(wanted - have), "--months", "12", "--seed", "1"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"  generate_orders --orders {wanted - have}: {time.perf_counter() - started:.0f} s")
        subprocess.run([PYTHON, "manage.py", "dbshell", "--", "-c", "VACUUM ANALYZE"], cwd=ROOT, env=env, check=False)
    subprocess.run([PYTHON, "-m", "bench.dashboard_bench", "--measure"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    if "--measure" in sys.argv:
        measure()
    else:
        run()
