"""A small closed-loop HTTP load generator: K worker processes, each keeping one
request in flight, for a fixed number of requests. Loopback only."""

from __future__ import annotations

import http.client
import multiprocessing as mp
import statistics
import time
from typing import Any


def _worker(port: int, path: str, body: bytes, headers: dict[str, str], count: int, queue: Any) -> None:
    latencies = []
    failures = 0
    for _ in range(count):
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures += 1
        except OSError:
            failures += 1
        finally:
            connection.close()
        latencies.append((time.perf_counter() - started) * 1000)
    queue.put((latencies, failures))


def run_load(
    *, port: int, body: bytes, in_flight: int, requests: int, path: str = "/graphql/", warmup: int = 20
) -> dict[str, float]:
    headers = {"Content-Type": "application/json"}
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    _worker(port, path, body, headers, warmup, queue)
    queue.get()
    per_worker = max(1, requests // in_flight)
    procs = [ctx.Process(target=_worker, args=(port, path, body, headers, per_worker, queue)) for _ in range(in_flight)]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    latencies = sorted(latency for result in results for latency in result[0])
    failures = sum(result[1] for result in results)
    return {
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
    }
