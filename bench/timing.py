"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 5) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1],
        "per_s": 1000 / statistics.mean(samples),
    }


def report(name: str, figures: dict[str, float]) -> None:
    print(f"  {name:<44} p50 {figures['p50_ms']:7.2f} ms   p95 {figures['p95_ms']:7.2f} ms   {figures['per_s']:8.1f}/s")


# A benchmark is one client hammering the API from one address: lift the per-IP limits for
# anonymous GraphQL traffic, or the run would measure 429 answers.
UNTHROTTLED = {"GRAPHQL_ANON_REQUESTS_PER_MINUTE": "1000000000", "GRAPHQL_ANON_COST_PER_MINUTE": "1000000000000"}
# With DEBUG off the settings ask for the keys of personal numbers; throwaway ones for benchmark servers.
BENCH_KEYS = {
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktMDEyMzQ1Njc4OWE=",
    "FIELD_INDEX_KEY": "bench-only-index-key-" + "x" * 30,
}
