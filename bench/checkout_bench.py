"""Checkout throughput: the whole buy flow through the real HTTP stack.

Runs against PostgreSQL (BENCH_CHECKOUT_DATABASE_URL, default the local server's
`chophien_bench_checkout` database, kept apart from `chophien_bench` so its orders and products
never touch the catalog and search figures) with `gunicorn` and 2 sync workers as `make serve`
runs it. A setup step makes one approved seller with the default delivery methods and
BENCH_CHECKOUT_VARIANTS (20) products with ample stock. Then BENCH_CHECKOUT_CLIENTS (8) client
threads run BENCH_CHECKOUTS (300) checkouts:

    checkoutCreate → checkoutShippingAddressUpdate → checkoutDeliveryMethodUpdate
    → checkoutComplete(gateway: "cod")

and it prints completed checkouts per second (whole flow, wall clock) and p50/p95 of each call,
checkoutComplete first: once as `make serve` runs without a broker (Celery tasks, i.e. the order
e-mail and the search index sync after the stock change, run inside the request), once with
SEARCH_AUTO_INDEX=0, and once with a single client (the calls' own latency, no queueing). Each
checkout buys 1-2 of the 20 variants, so completions contend for the same variant rows as real
buyers of popular products would. Before that, the SQL statements of each call are counted in
process.

`python -m bench.checkout_bench --dry-run` runs a few checkouts through the same GraphQL
operations in-process (Django test client, the configured database) without gunicorn.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from bench.catalog_bench import PYTHON, ROOT, Server, _ensure_database, _env

# Its own database: the orders and the 20 products made here would otherwise show up in the
# catalog grid and search benchmarks run on `chophien_bench`.
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chophien_bench_checkout"

CREATE = """mutation Create($lines: [CheckoutLineInput!]!, $email: String) {
  checkoutCreate(lines: $lines, email: $email) {
    checkout { id deliveryGroups { seller { id } methods { id name price { amount } } } }
    errors { field code message }
  }
}"""

ADDRESS = """mutation Address($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, address: $address) {
    checkout { id deliveryGroups { seller { id } methods { id name price { amount } } } }
    errors { field code message }
  }
}"""

DELIVERY = """mutation Delivery($id: ID!, $seller: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, seller: $seller, method: $method) {
    checkout { id total { amount } }
    errors { field code message }
  }
}"""

COMPLETE = """mutation Complete($id: ID!, $gateway: String!) {
  checkoutComplete(id: $id, gateway: $gateway) {
    order { number status paymentStatus total { amount } }
    payment { status action { kind } }
    errors { field code message }
  }
}"""

STEPS = ("checkoutComplete", "checkoutCreate", "checkoutShippingAddressUpdate", "checkoutDeliveryMethodUpdate")

# In a fresh process on the bench database: the seller, its delivery methods and the variants.
SETUP_SCRIPT = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()
from django.db import transaction
from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product, ProductKind, ProductVariant
from backend.catalog.services import refresh_product_pricing
from backend.checkout.delivery import ensure_default_methods
from backend.regions.loader import load_regions
from backend.regions.models import Commune
from backend.sellers.models import Seller, SellerKind, SellerStatus
from storefront_api.core.ids import global_id

count = int(os.environ["BENCH_CHECKOUT_VARIANTS"])
load_regions()
seed_categories()
with transaction.atomic():
    commune = Commune.objects.get(code="24778")  # Phường Lâm Viên - Đà Lạt
    category = Category.objects.filter(kind="GOODS").order_by("path").first()
    seller, _ = Seller.objects.get_or_create(
        slug="ckbench-seller",
        defaults=dict(
            name="HTX Đo hiệu năng (bench)", kind=SellerKind.COOPERATIVE, commune=commune,
            phone="+84903123456", status=SellerStatus.APPROVED, address="1 Trần Phú, Đà Lạt",
        ),
    )
    ensure_default_methods(seller=seller)
    variants = []
    for i in range(count):
        product, _ = Product.objects.get_or_create(
            slug=f"ckbench-{i}",
            defaults=dict(
                name=f"Dâu tây Đà Lạt hộp {i} (bench)", description="Cho đo hiệu năng.", category=category,
                seller=seller, commune=commune, kind=ProductKind.GOODS, is_published=True,
            ),
        )
        variant, _ = ProductVariant.objects.get_or_create(
            product=product, sku=f"BC-{i:03d}",
            defaults=dict(seller=seller, name="Hộp 500 g", price=45_000 + 1_000 * i, stock=0, weight_grams=500),
        )
        variant.stock = 1_000_000
        variant.save(update_fields=["stock"])
        refresh_product_pricing(product)
        variants.append(global_id("ProductVariant", variant.pk))
print(json.dumps({"variants": variants, "commune": global_id("Commune", commune.pk)}))
"""

# In a fresh process: SQL statements per call, the view called directly (RequestFactory), a few
# checkouts after a warm-up; prints the median count per step.
COUNT_SCRIPT = """
import json, os, statistics
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()
from django.db import connection
from django.test import RequestFactory
from bench.checkout_bench import STEPS, one_checkout
from storefront_api.core.view import StorefrontGraphQLView
view = StorefrontGraphQLView.as_view()
factory = RequestFactory()
fixture = json.loads(os.environ["BENCH_FIXTURE"])
counts = {step: [] for step in STEPS}
current = []
def post(query, variables):
    statements = []
    body = json.dumps({"query": query, "variables": variables})
    with connection.execute_wrapper(lambda execute, sql, *a: statements.append(sql) or execute(sql, *a)):
        response = view(factory.post("/graphql/", body, content_type="application/json"))
    current.append(len(statements))
    return json.loads(response.content)
for index in range(8):
    timings = {step: [] for step in STEPS}
    current.clear()
    one_checkout(post, index=900_000 + index, timings=timings, **fixture)
    order = ["checkoutCreate", "checkoutShippingAddressUpdate", "checkoutDeliveryMethodUpdate", "checkoutComplete"]
    if index >= 3:  # after warm-up; one seller, so the calls come in that order
        for step, n in zip(order, current):
            counts[step].append(n)
print(json.dumps({step: statistics.median(values) for step, values in counts.items()}))
"""

Post = Callable[[str, dict[str, Any]], dict[str, Any]]


def http_post(port: int) -> Post:
    def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST", "/graphql/", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:300]!r}")
        return dict(json.loads(data))

    return post


def _payload(answer: dict[str, Any], name: str) -> dict[str, Any]:
    if answer.get("errors"):
        raise RuntimeError(f"{name}: {answer['errors']}")
    payload = answer["data"][name]
    if payload["errors"]:
        raise RuntimeError(f"{name}: {payload['errors']}")
    return dict(payload)


def one_checkout(post: Post, *, index: int, variants: list[str], commune: str, timings: dict[str, list[float]]) -> str:
    """Run the four calls for one buyer; returns the order number. Appends each call's ms to `timings`."""

    def timed(step: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        answer = post(query, variables)
        timings[step].append((time.perf_counter() - started) * 1000)
        return _payload(answer, step)

    picked = {variants[index % len(variants)]: 1 + index % 2, variants[(index * 7 + 3) % len(variants)]: 1}
    lines = [{"variant": variant, "quantity": quantity} for variant, quantity in picked.items()]
    created = timed("checkoutCreate", CREATE, {"lines": lines, "email": f"khach{index}@example.vn"})
    checkout_id = created["checkout"]["id"]
    address = {"fullName": "Nguyễn Văn A", "phone": "0903 123 456", "street": f"{index} Trần Phú", "commune": commune}
    addressed = timed("checkoutShippingAddressUpdate", ADDRESS, {"id": checkout_id, "address": address})
    for group in addressed["checkout"]["deliveryGroups"]:
        method = group["methods"][0]
        timed(
            "checkoutDeliveryMethodUpdate",
            DELIVERY,
            {"id": checkout_id, "seller": group["seller"]["id"], "method": method["id"]},
        )
    completed = timed("checkoutComplete", COMPLETE, {"id": checkout_id, "gateway": "cod"})
    return str(completed["order"]["number"])


def drive(
    post: Post, *, checkouts: int, clients: int, variants: list[str], commune: str, first_index: int = 0
) -> dict[str, Any]:
    """`checkouts` buy flows from `clients` threads; wall-clock throughput and per-call latencies."""
    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    orders: list[str] = []
    failures: list[str] = []
    counter = iter(range(first_index, first_index + checkouts))
    lock = threading.Lock()

    def client() -> None:
        mine: dict[str, list[float]] = {step: [] for step in STEPS}
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            try:
                number = one_checkout(post, index=index, variants=variants, commune=commune, timings=mine)
            except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            with lock:
                orders.append(number)
        with lock:
            for step, samples in mine.items():
                timings[step].extend(samples)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"elapsed": elapsed, "orders": orders, "failures": failures, "timings": timings}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    if not ordered:
        return 0.0, 0.0
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def _print(label: str, result: dict[str, Any]) -> None:
    done = len(result["orders"])
    unique = len(set(result["orders"]))
    print(
        f"  {label}: {done / result['elapsed']:6.1f} checkouts/s   ({done} orders, {unique} distinct,"
        f" {len(result['failures'])} failed, {result['elapsed']:.1f} s)"
    )
    for step in STEPS:
        p50, p95 = _percentiles(result["timings"][step])
        print(f"    {step:<32} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(result['timings'][step])} calls)")
    for failure in result["failures"][:3]:
        print(f"    failure: {failure}")


def run() -> None:
    database_url = os.environ.get("BENCH_CHECKOUT_DATABASE_URL", DEFAULT_DB)
    checkouts = int(os.environ.get("BENCH_CHECKOUTS", "300"))
    clients = int(os.environ.get("BENCH_CHECKOUT_CLIENTS", "8"))
    variant_count = int(os.environ.get("BENCH_CHECKOUT_VARIANTS", "20"))
    print(
        f"checkout flow: create → address → delivery → complete(cod), {checkouts} checkouts,"
        f" {clients} client threads, {variant_count} variants, gunicorn 2 sync workers"
    )
    try:
        _ensure_database(database_url)
    except Exception as exc:  # noqa: BLE001 - report and skip rather than crash the other benchmarks
        print(f"  skipped: PostgreSQL not reachable at {database_url} ({exc})")
        return
    given = os.environ.get("BENCH_VAR_DIR")
    if given:
        _measure(database_url, given, checkouts=checkouts, clients=clients, variant_count=variant_count)
        return
    with tempfile.TemporaryDirectory(prefix="chophien-checkout-bench-") as var_dir:
        _measure(database_url, var_dir, checkouts=checkouts, clients=clients, variant_count=variant_count)


def _measure(database_url: str, var_dir: str, *, checkouts: int, clients: int, variant_count: int) -> None:
    # No broker: Celery runs the tasks in the request, as `make serve` without Redis does (the order
    # e-mail and the search index sync after the stock change); the e-mails go nowhere.
    env = _env(database_url, VAR_DIR=var_dir, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    setup = subprocess.run(
        [PYTHON, "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env={**env, "BENCH_CHECKOUT_VARIANTS": str(variant_count)},
        check=True,
        capture_output=True,
        text=True,
    )
    fixture = json.loads(setup.stdout.strip().splitlines()[-1])
    quiet = {**env, "SEARCH_AUTO_INDEX": "0"}
    for label, count_env in (("tasks in the request", env), ("search auto-index off", quiet)):
        counted = subprocess.run(
            [PYTHON, "-c", COUNT_SCRIPT],
            cwd=ROOT,
            env={**count_env, "BENCH_FIXTURE": json.dumps(fixture)},
            check=True,
            capture_output=True,
            text=True,
        )
        statements = json.loads(counted.stdout.strip().splitlines()[-1])
        print(f"  SQL statements per call ({label}): " + ", ".join(f"{k} {v:g}" for k, v in statements.items()))
    configs = [
        ("as `make serve` without a broker (tasks in the request)", env, clients, checkouts),
        ("search auto-index off", quiet, clients, checkouts),
        ("search auto-index off, 1 client (no queueing)", quiet, 1, max(checkouts // 5, 10)),
    ]
    first_index = int(time.time()) % 100_000 * 10
    for label, server_env, in_flight, count in configs:
        server = Server(server_env)
        try:
            post = http_post(server.port)
            warmup = max(in_flight * 2, 4)
            drive(post, checkouts=warmup, clients=in_flight, first_index=first_index, **fixture)
            first_index += warmup
            result = drive(post, checkouts=count, clients=in_flight, first_index=first_index, **fixture)
            first_index += count
        finally:
            server.stop()
        _print(f"{label}, {in_flight} in flight", result)


def dry_run(checkouts: int = 5) -> int:
    """The same GraphQL operations in-process against the configured database (no gunicorn)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    setup = subprocess.run(
        [PYTHON, "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env={**os.environ, "BENCH_CHECKOUT_VARIANTS": "20"},
        check=True,
        capture_output=True,
        text=True,
    )
    fixture = json.loads(setup.stdout.strip().splitlines()[-1])
    client = Client()

    def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        return dict(response.json())

    result = drive(post, checkouts=checkouts, clients=1, **fixture)
    _print("dry run (in-process)", result)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    if "--dry-run" in sys.argv:
        sys.exit(dry_run())
    run()
    sys.exit(0)
