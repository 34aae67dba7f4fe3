"""Catalog grid: the full-card `products(first: 50)` through the real HTTP stack.

Runs against PostgreSQL (BENCH_DATABASE_URL, default the local server's
`chophien_bench` database) with a generated catalog of BENCH_PRODUCTS
(10,000) products, `gunicorn` with 2 sync workers as `make serve` runs it, and
a multi-process load generator on loopback. Prints SQL statements per
request, latency p50/p95 and requests/s uncached (2 and 4 in flight) and with
the anonymous response cache hit, and peak memory per worker.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.http_load import run_load
from bench.timing import BENCH_KEYS, UNTHROTTLED

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chophien_bench"

CARD_QUERY = """query Grid($first: Int) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id slug name kind ocopStars
      thumbnail(size: 256) { url width height }
      pricing { priceMin { amount currency } priceMax { amount currency } }
      category { id name slug }
      seller { id name slug commune { name } }
      commune { name }
      variants { id sku name price { amount currency } quantityAvailable }
    } }
  }
}"""

# In a fresh process: the view called directly with RequestFactory (the test
# client fires request_started, which resets connection.queries_log), and every
# statement counted by an execute wrapper.
COUNT_SCRIPT = """
import json, os, statistics, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()
from django.db import connection
from django.test import RequestFactory
from storefront_api.core.view import StorefrontGraphQLView
view = StorefrontGraphQLView.as_view()
factory = RequestFactory()
body = json.dumps({"query": os.environ["BENCH_QUERY"], "variables": {"first": 50}})
def once():
    response = view(factory.post("/graphql/", body, content_type="application/json"))
    assert response.status_code == 200 and b'"errors"' not in response.content, response.content[:500]
    return response
for _ in range(5):
    once()
statements = []
with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
    response = once()
samples = []
for _ in range(50):
    started = time.perf_counter(); once(); samples.append((time.perf_counter() - started) * 1000)
print(json.dumps({"queries": len(statements), "bytes": len(response.content), "median_ms": statistics.median(samples)}))
"""


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        **UNTHROTTLED,
        **BENCH_KEYS,
        **extra,
    )
    return env


def _ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "backend.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--preload",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_peak_mb(self) -> list[float]:
        return [_peak_rss_mb(pid) for pid in _children(self.proc.pid)]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def run() -> None:
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    products = int(os.environ.get("BENCH_PRODUCTS", "10000"))
    requests = int(os.environ.get("BENCH_REQUESTS", "600"))
    print(f"catalog grid: products(first: 50) full card, {products} products, gunicorn 2 sync workers")
    try:
        _ensure_database(database_url)
    except Exception as exc:  # noqa: BLE001 - report and skip rather than crash the other benchmarks
        print(f"  skipped: PostgreSQL not reachable at {database_url} ({exc})")
        return
    env = _env(database_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "generate_catalog", "--products", str(products)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    counted = subprocess.run(
        [PYTHON, "-c", COUNT_SCRIPT],
        cwd=ROOT,
        env=_env(database_url, GRAPHQL_RESPONSE_CACHE="0", BENCH_QUERY=CARD_QUERY),
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(counted.stdout.strip().splitlines()[-1])
    print(
        f"  SQL statements per request: {figures['queries']}   response: {figures['bytes'] / 1024:.0f} KB"
        f"   in-process median: {figures['median_ms']:.1f} ms"
    )
    body = json.dumps({"query": CARD_QUERY, "variables": {"first": 50}}).encode()

    server = Server(_env(database_url, GRAPHQL_RESPONSE_CACHE="0"))
    try:
        for in_flight in (2, 4):
            result = run_load(port=server.port, body=body, in_flight=in_flight, requests=requests)
            _print(f"uncached, {in_flight} in flight", result)
        peaks = server.worker_peak_mb()
    finally:
        server.stop()
    print("  peak memory per worker: " + ", ".join(f"{mb:.0f} MB" for mb in peaks))

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    server = Server(_env(database_url, REDIS_URL=redis_url))
    try:
        for in_flight in (2, 4):
            result = run_load(port=server.port, body=body, in_flight=in_flight, requests=requests * 5)
            _print(f"response cache hit (Redis), {in_flight} in flight", result)
    finally:
        server.stop()


def _print(label: str, result: dict[str, float]) -> None:
    print(
        f"  {label:<40} {result['rps']:8.1f} req/s   p50 {result['p50_ms']:6.1f} ms   p95 {result['p95_ms']:6.1f} ms"
        f"   ({int(result['requests'])} requests, {int(result['failures'])} failed)"
    )
