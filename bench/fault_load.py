"""Five minutes of mixed load with the broker stopped for one minute in the middle (issue 17).

    DATABASE_URL=postgres://…/cp_bench .venv/bin/python -m bench.fault_load

Starts its own redis-server (broker and cache, on BENCH_REDIS_PORT: never the shared one),
`make serve`'s gunicorn and `make worker`'s two Celery workers, all on this PostgreSQL database
(loaded with `manage.py load_demo_data` and indexed). Eight clients browse, search and, one
request in ten, place a cash-on-delivery order through GraphQL. Redis is killed at 2:00 and
started again at 3:00. Then it waits for the outbox to drain and checks that every order's
e-mails went out exactly once and that no response was a 5xx.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.timing import BENCH_KEYS

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8097"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6397"))
DURATION = float(os.environ.get("BENCH_SECONDS", "300"))
OUTAGE = (DURATION * 0.4, DURATION * 0.6)  # broker and cache down for the middle fifth (1 minute of 5)
CLIENTS = 8
WORK = ROOT / "var" / "bench-faults"

PRODUCTS = "{ products(first: 20) { edges { node { name slug variants { quantityAvailable } } } } }"
SEARCH = "query($q: String!) { search(query: $q, first: 10) { totalCount degraded edges { node { name } } } }"
WORDS = ["ca phe", "dau tay", "tra", "hong", "mac ca", "atiso", "sau rieng", "rau", "mat ong", "tour"]
ERRORS = "errors { field code message }"
CREATE = f"""mutation($lines: [CheckoutLineInput!]!, $email: String!) {{
  checkoutCreate(lines: $lines, email: $email) {{ checkout {{ id }} {ERRORS} }} }}"""
ADDRESS = f"""mutation($id: ID!, $address: AddressInput!) {{
  checkoutShippingAddressUpdate(id: $id, address: $address) {{
    checkout {{ deliveryGroups {{ seller {{ id }} methods {{ id }} }} }} {ERRORS} }} }}"""
DELIVERY = f"""mutation($id: ID!, $seller: ID!, $method: ID!) {{
  checkoutDeliveryMethodUpdate(id: $id, seller: $seller, method: $method) {{ checkout {{ id }} {ERRORS} }} }}"""
COMPLETE = f"""mutation($id: ID!) {{
  checkoutComplete(id: $id, gateway: "cod") {{ order {{ number }} {ERRORS} }} }}"""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    orders: list[str] = field(default_factory=list)
    buyers: list[str] = field(default_factory=list)
    failed_orders: list[str] = field(default_factory=list)
    degraded: int = 0

    def add(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.kinds[kind] += 1
            self.latencies.setdefault(kind, []).append(ms)


def _request(method: str, path: str, body: dict[str, Any] | None, tally: Tally, kind: str) -> tuple[int, Any]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        status = response.status
    except OSError:
        status, raw = 599, b""  # no answer at all counts as a server failure
    finally:
        conn.close()
    tally.add(kind, status, (time.perf_counter() - started) * 1000)
    try:
        return status, json.loads(raw) if raw[:1] in (b"{", b"[") else None
    except ValueError:
        return status, None


def _gql(query: str, variables: dict[str, Any], tally: Tally, kind: str) -> dict[str, Any]:
    status, answer = _request("POST", "/graphql/", {"query": query, "variables": variables}, tally, kind)
    if status != 200 or not isinstance(answer, dict) or answer.get("errors"):
        raise RuntimeError(f"{kind}: HTTP {status} {str(answer)[:300]}")
    return answer["data"]


def _checkout(client: int, n: int, setup: dict[str, Any], tally: Tally) -> None:
    email = f"bench-{client}-{n}@example.vn"
    variant = random.choice(setup["variants"])
    try:
        created = _gql(CREATE, {"lines": [{"variant": variant, "quantity": 1}], "email": email}, tally, "checkout")
        checkout = created["checkoutCreate"]["checkout"]["id"]
        address = {**setup["address"]}
        groups = _gql(ADDRESS, {"id": checkout, "address": address}, tally, "checkout")
        for group in groups["checkoutShippingAddressUpdate"]["checkout"]["deliveryGroups"]:
            method = {"id": checkout, "seller": group["seller"]["id"], "method": group["methods"][0]["id"]}
            _gql(DELIVERY, method, tally, "checkout")
        done = _gql(COMPLETE, {"id": checkout}, tally, "checkout")["checkoutComplete"]
        if done["errors"]:
            raise RuntimeError(str(done["errors"]))
        with tally.lock:
            tally.orders.append(done["order"]["number"])
            tally.buyers.append(email)
    except RuntimeError as exc:
        with tally.lock:
            tally.failed_orders.append(str(exc)[:300])


def _client(client: int, setup: dict[str, Any], tally: Tally, stop_at: float) -> None:
    rng = random.Random(client)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        roll = rng.random()
        if roll < 0.1:
            _checkout(client, n, setup, tally)
        elif roll < 0.55:
            if rng.random() < 0.5:
                _request("GET", rng.choice(setup["pages"]), None, tally, "browse")
            else:
                _request("POST", "/graphql/", {"query": PRODUCTS}, tally, "browse")
        else:
            status, answer = _request(
                "POST", "/graphql/", {"query": SEARCH, "variables": {"q": rng.choice(WORDS)}}, tally, "search"
            )
            if status == 200 and answer and (answer.get("data") or {}).get("search", {}).get("degraded"):
                with tally.lock:
                    tally.degraded += 1


def _env() -> dict[str, str]:
    redis = f"redis://127.0.0.1:{REDIS_PORT}"
    return {
        **os.environ,
        **BENCH_KEYS,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORT": str(PORT),
        "CELERY_BROKER_URL": f"{redis}/0",
        "REDIS_URL": f"{redis}/1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(WORK / "mail"),
        "VAR_DIR": str(WORK / "var"),
        "LOG_LEVEL": "WARNING",
        "SESSION_COOKIE_SECURE": "0",
    }


def _setup() -> dict[str, Any]:
    """Variants to buy (plenty of stock), pages to browse, a delivery address: from the demo data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from backend.catalog.models import Product, ProductKind, ProductVariant
    from backend.catalog.selectors import public_products_q
    from storefront_api.core.ids import global_id

    public = Product.objects.filter(public_products_q())
    goods = ProductVariant.objects.filter(product__in=public.filter(kind=ProductKind.GOODS))
    chosen = list(goods.select_related("product__seller__commune").order_by("price")[:20])
    assert chosen, "load the demo data first: manage.py load_demo_data"
    ProductVariant.objects.filter(pk__in=[v.pk for v in chosen]).update(stock=1_000_000)
    commune = chosen[0].product.seller.commune
    slugs = list(public.values_list("slug", flat=True)[:30])
    return {
        "variants": [global_id("ProductVariant", v.pk) for v in chosen],
        "pages": ["/", *[f"/p/{slug}/" for slug in slugs], "/search/?q=ca+phe", "/search/?q=dau"],
        "address": {
            "fullName": "Khách Thử Tải",
            "phone": "0987 654 321",
            "street": "1 Trần Phú",
            "commune": global_id("Commune", commune.pk),
        },
    }


def _recipients() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in (WORK / "mail").glob("*.log"):
        found.update(line[4:].strip() for line in path.read_text().splitlines() if line.startswith("To: "))
    return found


def _outbox_backlog() -> tuple[int, int]:
    from backend.outbox.models import OutboxItem, OutboxStatus

    return (
        OutboxItem.objects.filter(status=OutboxStatus.PENDING).count(),
        OutboxItem.objects.filter(status=OutboxStatus.DEAD).count(),
    )


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a PostgreSQL database with the demo data", file=sys.stderr)
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "mail").mkdir(parents=True)
    (WORK / "var").mkdir()
    env = _env()
    os.environ.update({k: env[k] for k in ("CELERY_BROKER_URL", "REDIS_URL", "VAR_DIR", "SECRET_KEY", "DEBUG")})
    setup = _setup()
    logs = {name: open(WORK / f"{name}.log", "w") for name in ("redis", "web", "worker", "search-worker")}  # noqa: SIM115
    redis_cmd = ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    py = str(ROOT / ".venv" / "bin")
    commands = {
        "web": [f"{py}/gunicorn", "-c", "backend/gunicorn_conf.py", "backend.wsgi:application"],
        "worker": [f"{py}/celery", "-A", "backend", "worker", "--beat", "--queues", "celery", "--concurrency", "2",
                   "--schedule", str(WORK / "beat-schedule"), "--loglevel", "WARNING", "--hostname", "default@%h"],
        "search-worker": [f"{py}/celery", "-A", "backend", "worker", "--queues", "search", "--concurrency", "1",
                          "--loglevel", "WARNING", "--hostname", "search@%h"],
    }  # fmt: skip
    subprocess.run([f"{py}/python", "manage.py", "search_reindex"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes = {"redis": subprocess.Popen(redis_cmd, stdout=logs["redis"], stderr=subprocess.STDOUT)}
    time.sleep(0.5)
    for name, command in commands.items():
        processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT, start_new_session=True
        )
    tally = Tally()
    try:
        time.sleep(8)  # gunicorn preload and the workers' start
        load_started = time.monotonic()
        threads = [
            threading.Thread(target=_client, args=(c, setup, tally, load_started + DURATION)) for c in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(OUTAGE[0])
        processes["redis"].kill()  # broker (and cache) down
        processes["redis"].wait()
        down_at = time.monotonic() - load_started
        time.sleep(OUTAGE[1] - OUTAGE[0])
        processes["redis"] = subprocess.Popen(redis_cmd, stdout=logs["redis"], stderr=subprocess.STDOUT)
        up_at = time.monotonic() - load_started
        pending_at_recovery = _outbox_backlog()[0]
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - load_started
        drain_started = time.monotonic()
        while _outbox_backlog()[0] and time.monotonic() - drain_started < 180:
            time.sleep(1)
        drained_in = time.monotonic() - drain_started
    finally:
        for name, process in processes.items():
            if name == "redis":
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            process.wait(30)
    return _report(tally, elapsed, down_at, up_at, pending_at_recovery, drained_in)


def _report(tally: Tally, elapsed: float, down_at: float, up_at: float, pending_then: int, drained: float) -> int:
    recipients = _recipients()
    pending, dead = _outbox_backlog()
    buyer_counts = Counter({buyer: recipients[buyer] for buyer in tally.buyers})
    once = sum(1 for count in buyer_counts.values() if count == 1)
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    total = sum(tally.statuses.values())
    print(f"load: {CLIENTS} clients, {elapsed:.0f} s; broker and cache down from {down_at:.0f} s to {up_at:.0f} s")
    print(f"requests: {total} ({total / elapsed:.1f}/s); by status {dict(sorted(tally.statuses.items()))}")
    for kind, values in sorted(tally.latencies.items()):
        values.sort()
        p50, p95 = values[len(values) // 2], values[int(len(values) * 0.95)]
        print(f"  {kind}: {len(values)} requests, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"search answers degraded: {tally.degraded}")
    print(f"orders placed: {len(tally.orders)}; checkouts that failed: {len(tally.failed_orders)}")
    for failure in tally.failed_orders[:5]:
        print(f"  {failure}")
    print(f"outbox: {pending_then} pending when the broker came back, drained {drained:.0f} s after the load;")
    print(f"        now {pending} pending, {dead} dead")
    most = max(buyer_counts.values(), default=0)
    print(f"buyers' e-mails: {once} of {len(tally.buyers)} buyers got exactly one; most to one buyer: {most}")
    print(f"5xx responses: {server_errors}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    client_errors = sum(n for status, n in tally.statuses.items() if 400 <= status < 500)
    ok = server_errors == 0 and not client_errors and once == len(tally.buyers) and not tally.failed_orders
    ok = ok and not pending and not dead
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
