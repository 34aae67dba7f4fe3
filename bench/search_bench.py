"""Search: the embedded (tantivy) backend over 100,000 products.

1. Backend alone: 100,000 generated documents; index build time and size, then
   p50/p95 of 1,000 mixed queries (plain, accent-less, typo, prefix, filtered;
   facets on all but prefix) straight through `EmbeddedBackend.search`.
2. Through GraphQL: the same catalog as database rows (PostgreSQL bench
   database, `generate_catalog --products 100000`), indexed with
   `search_reindex`, and `search(query, filter, first: 20)` with facets and
   the product card, through the /graphql/ view in process.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.timing import BENCH_KEYS, UNTHROTTLED
from search.base import SearchDocument, SearchFilters
from search.embedded import EmbeddedBackend

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = [
    "Cà phê Arabica",
    "Cà phê Robusta",
    "Dâu tây",
    "Sầu riêng Ri6",
    "Bơ 034",
    "Thanh long ruột đỏ",
    "Trà ô long",
    "Mắc ca",
    "Hồ tiêu đen",
    "Nước mắm cá cơm",
    "Hồng treo gió",
    "Atisô",
    "Mật ong hoa cà phê",
    "Khoai lang",
    "Hạt điều rang muối",
    "Chanh dây",
    "Rượu vang",
    "Gạo Buôn Choáh",
]
TOURS = ["Homestay view đồi thông", "Tour hái dâu tây", "Tour vườn cà phê", "Vượt thác canyoning", "Workshop trà"]
PLACES = [
    "Cầu Đất",
    "Đà Lạt",
    "Bảo Lộc",
    "Di Linh",
    "Đắk Mil",
    "Lâm Hà",
    "Hàm Thuận Nam",
    "Phan Thiết",
    "Tuy Đức",
    "Đơn Dương",
    "Đức Trọng",
    "Gia Nghĩa",
    "Mũi Né",
    "Phú Quý",
]
GRADES = ["loại 1", "loại 2", "hữu cơ", "đặc biệt", "hộp quà", "500g", "1kg"]
QUERIES = {
    "plain": ["cà phê cầu đất", "dâu tây đà lạt", "sầu riêng đắk mil", "trà ô long bảo lộc", "bơ 034 lâm hà"],
    "accentless": ["ca phe cau dat", "dau tay da lat", "sau rieng dak mil", "thanh long ham thuan nam", "mat ong"],
    "typo": ["caphe arabica", "sau rien", "dau tey", "thanh lonh", "tra o lonh"],
    "prefix": ["ca ph", "dâu t", "sầu r", "thanh lo", "mac c"],
    "filtered": ["ca phe", "dau tay", "homestay", "bo", "tra"],
}


def generate(count: int, rng: random.Random) -> list[SearchDocument]:
    now = datetime.now(UTC)
    documents = []
    for i in range(1, count + 1):
        experience = rng.random() < 0.15
        base = rng.choice(TOURS if experience else PRODUCTS)
        place = rng.choice(PLACES)
        name = f"{base} {place} {rng.choice(GRADES)}"
        low = rng.randrange(20, 900) * 1000
        documents.append(
            SearchDocument(
                id=i,
                name=name,
                description=f"{name}: sản phẩm của hợp tác xã ở {place}, thu hoạch và đóng gói tại vườn.",
                kind="EXPERIENCE" if experience else "GOODS",
                category_id=rng.randrange(1, 16),
                category_path=f"cat-{rng.randrange(1, 16)}",
                category_name="Danh mục",
                commune_id=rng.randrange(1, 125),
                commune_name=place,
                seller_id=rng.randrange(1, 2000),
                seller_name=f"HTX {place}",
                price_min=low,
                price_max=low + rng.randrange(0, 300) * 1000,
                ocop_stars=rng.choice([None, None, 3, 4, 5]),
                in_stock=rng.random() < 0.8,
                created_at=now,
                fingerprint=str(i),
            )
        )
    return documents


def _mix(rng: random.Random, total: int) -> list[tuple[str, str, SearchFilters]]:
    mix = []
    for _ in range(total):
        kind = rng.choice(list(QUERIES))
        filters = SearchFilters()
        if kind == "filtered":
            filters = rng.choice(
                [
                    SearchFilters(commune_id=rng.randrange(1, 125)),
                    SearchFilters(price_min=100_000, price_max=400_000),
                    SearchFilters(kind="GOODS", ocop_stars_min=4),
                    SearchFilters(in_stock=True, category_path="cat-3"),
                ]
            )
        mix.append((kind, rng.choice(QUERIES[kind]), filters))
    return mix


def _percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    return f"p50 {statistics.median(samples):6.2f} ms   p95 {samples[int(len(samples) * 0.95) - 1]:6.2f} ms"


def backend_bench(count: int) -> None:
    rng = random.Random(20251123)
    documents = generate(count, rng)
    directory = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        backend = EmbeddedBackend(directory)
        started = time.perf_counter()
        backend.reindex(documents)
        build = time.perf_counter() - started
        size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file()) / 1e6
        print(f"  backend: build {count:,} docs {build:.1f} s, index {size:.1f} MB")
        by_kind: dict[str, list[float]] = {k: [] for k in QUERIES}
        for kind, query, filters in _mix(rng, 50):
            backend.search(query=query, filters=filters, offset=0, limit=20, with_facets=kind != "prefix")
        for kind, query, filters in _mix(rng, 1000):
            started = time.perf_counter()
            backend.search(query=query, filters=filters, offset=0, limit=20, with_facets=kind != "prefix")
            by_kind[kind].append((time.perf_counter() - started) * 1000)
        everything = [s for samples in by_kind.values() for s in samples]
        print(f"  backend, 1,000 mixed queries           {_percentiles(everything)}")
        for kind, samples in by_kind.items():
            print(f"    {kind:<36} {_percentiles(samples)}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


GRAPHQL_SCRIPT = """
import json, os, random, statistics, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()
from django.test import RequestFactory
from storefront_api.core.view import StorefrontGraphQLView
view = StorefrontGraphQLView.as_view()
rf = RequestFactory()
QUERY = '''query($q: String!, $filter: ProductFilter) { search(query: $q, filter: $filter, first: 20) {
  totalCount facets { name values { value label count } }
  edges { score node { id name slug pricing { priceMin { amount } } seller { name } commune { name }
          thumbnail(size: 256) { url } } } } }'''
queries = json.loads(os.environ["BENCH_QUERIES"])
rng = random.Random(7)
def once(q):
    body = json.dumps({"query": QUERY, "variables": {"q": q}})
    response = view(rf.post("/graphql/", body, content_type="application/json"))
    assert response.status_code == 200 and b'"errors"' not in response.content, response.content[:300]
for q in queries[:30]:
    once(q)
samples = []
for _ in range(int(os.environ.get("BENCH_GRAPHQL_QUERIES", "1000"))):
    q = rng.choice(queries)
    started = time.perf_counter(); once(q); samples.append((time.perf_counter() - started) * 1000)
samples.sort()
print(json.dumps({"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}))
"""


def graphql_bench(count: int, database_url: str) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        GRAPHQL_RESPONSE_CACHE="0",
        SEARCH_AUTO_INDEX="0",
        SEARCH_BACKEND="embedded",
        VAR_DIR=str(ROOT / "var" / "bench"),
        LOG_LEVEL="WARNING",
        **UNTHROTTLED,
        **BENCH_KEYS,
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "generate_catalog", "--products", str(count)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    subprocess.run([python, "manage.py", "search_reindex"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(
        f"  graphql: search_reindex of the database catalog ({count:,} products) {time.perf_counter() - started:.1f} s"
    )
    queries = [q for group in QUERIES.values() for q in group]
    env["BENCH_QUERIES"] = json.dumps(queries)
    result = subprocess.run(
        [python, "-c", GRAPHQL_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  graphql search(first: 20) + facets + cards   p50 {figures['p50']:6.2f} ms   p95 {figures['p95']:6.2f} ms")


def run() -> None:
    count = int(os.environ.get("BENCH_SEARCH_DOCS", "100000"))
    print(f"search: embedded tantivy backend, {count:,} products")
    backend_bench(count)
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chophien_bench")
    try:
        graphql_bench(count, database_url)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  graphql: skipped ({exc})")
