"""Web pages against their GraphQL counterparts: server time of the product page and the search
page next to the `product` and `search` queries that carry the same data.

Issue 9's budget: a page may take at most twice its GraphQL counterpart. Runs in a subprocess on
its own SQLite database (`var/bench-web`) with `generate_catalog --products 5000` indexed by the
embedded search backend; every request goes through the whole Django stack (test client),
sequentially, with DEBUG off as in production and the anonymous response cache off so both
sides do the work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.timing import BENCH_KEYS, UNTHROTTLED

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, os, statistics, time
import django
django.setup()
from django.test import Client
from backend.catalog.models import Product

client = Client()
goods = Product.objects.filter(is_published=True, kind="GOODS").order_by("id")
slugs = list(goods.values_list("slug", flat=True)[:200])
queries = ["ca phe", "dau tay da lat", "sau rieng", "mat ong", "tra o long", "thanh long"]
PRODUCT = '''query($slug: String!) { product(slug: $slug) { id name description kind ocopStars harvestMonths
  seller { name slug commune { name } } commune { name } category { name }
  images { url alt width height } thumbnail(size: 512) { url width height }
  pricing { priceMin { amount } priceMax { amount } }
  variants { id sku name price { amount } quantityAvailable } } }'''
SEARCH = '''query($q: String!) { search(query: $q, first: 20) { totalCount
  edges { node { id name slug thumbnail(size: 256) { url } pricing { priceMin { amount } } seller { name }
    commune { name } ocopStars } }
  facets { name values { value label count } } } }'''

def gql(query, variables):
    r = client.post("/graphql/", json.dumps({"query": query, "variables": variables}), "application/json")
    assert r.status_code == 200 and "errors" not in r.json(), r.content[:300]

def page(path):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)

def timed(fn, items, repeat):
    for item in items[:5]:
        fn(item)
    samples = []
    for i in range(repeat):
        item = items[i % len(items)]
        started = time.perf_counter(); fn(item); samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}

repeat = int(os.environ.get("BENCH_WEB_REPEAT", "300"))
out = {
    "product_graphql": timed(lambda s: gql(PRODUCT, {"slug": s}), slugs, repeat),
    "product_page": timed(lambda s: page(f"/p/{s}/"), slugs, repeat),
    "search_graphql": timed(lambda q: gql(SEARCH, {"q": q}), queries, repeat),
    "search_page": timed(lambda q: page(f"/search/?q={q}"), queries, repeat),
}
print(json.dumps(out))
"""


def run() -> None:
    var_dir = ROOT / "var" / "bench-web"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        VAR_DIR=str(var_dir),
        GRAPHQL_RESPONSE_CACHE="0",
        SEARCH_AUTO_INDEX="0",
        SEARCH_BACKEND="embedded",
        LOG_LEVEL="WARNING",
        **UNTHROTTLED,
        **BENCH_KEYS,
        DJANGO_SETTINGS_MODULE="backend.settings",
        # As in production: DEBUG off, so templates are parsed once (cached loader).
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    env.pop("DATABASE_URL", None)
    python = sys.executable
    count = os.environ.get("BENCH_WEB_PRODUCTS", "5000")
    print(f"web pages vs GraphQL (in-process test client, SQLite, {count} generated products, sequential)")
    try:
        subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [python, "manage.py", "generate_catalog", "--products", count],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        reindex = [python, "manage.py", "search_reindex"]
        subprocess.run(reindex, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        result = subprocess.run([python, "-c", SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  skipped ({exc})")
        return
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("product", "search"):
        api, html = figures[f"{name}_graphql"], figures[f"{name}_page"]
        print(f"  {name} GraphQL query          p50 {api['p50']:7.2f} ms   p95 {api['p95']:7.2f} ms")
        print(
            f"  {name} page                   p50 {html['p50']:7.2f} ms   p95 {html['p95']:7.2f} ms"
            f"   page/GraphQL p50 ×{html['p50'] / api['p50']:.2f} (budget ×2)"
        )
