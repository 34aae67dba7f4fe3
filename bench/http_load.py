"""A small closed-loop HTTP load generator: keeps K requests in flight over
loopback, for a fixed number of requests.

One process multiplexes K non-blocking sockets: the server under test (two
sync gunicorn workers) shares the machine's two cores with this client, so the
client must cost as little CPU as possible per request. Each request opens a
new TCP connection (sync workers close it after every response), sends a
prebuilt HTTP/1.1 request and reads the response to the end; its latency runs
from connect to the last byte. A request counts as failed unless the status is
200 and the body has exactly the announced Content-Length.
"""

from __future__ import annotations

import errno
import selectors
import socket
import statistics
import time


def _request_bytes(port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _response_ok(response: bytes) -> bool:
    head, separator, content = response.partition(b"\r\n\r\n")
    if not separator or not head.startswith((b"HTTP/1.1 200 ", b"HTTP/1.0 200 ")):
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip()) == len(content)
    return True  # no Content-Length: the body ran to the end of the connection


class _Connection:
    __slots__ = ("chunks", "pending", "sock", "started")

    def __init__(self, address: tuple[str, int], request: bytes) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.pending = memoryview(request)
        self.chunks: list[bytes] = []
        self.started = time.perf_counter()
        code = self.sock.connect_ex(address)
        if code not in (0, errno.EINPROGRESS):
            raise OSError(code, "connect failed")


def _drive(address: tuple[str, int], request: bytes, in_flight: int, total: int) -> tuple[list[float], int, float]:
    """Send `total` requests, `in_flight` at a time. Returns latencies (ms), failures, elapsed seconds."""
    selector = selectors.DefaultSelector()
    latencies: list[float] = []
    failures = 0
    started_count = 0

    def start() -> None:
        nonlocal started_count, failures
        while started_count < total:
            started_count += 1
            try:
                connection = _Connection(address, request)
            except OSError:
                failures += 1
                latencies.append(0.0)
                continue
            selector.register(connection.sock, selectors.EVENT_WRITE, connection)
            return

    def finish(connection: _Connection, ok: bool) -> None:
        nonlocal failures
        latencies.append((time.perf_counter() - connection.started) * 1000)
        if not ok:
            failures += 1
        selector.unregister(connection.sock)
        connection.sock.close()

    began = time.perf_counter()
    for _ in range(min(in_flight, total)):
        start()
    while len(latencies) < total:
        ready = selector.select(timeout=30)
        if not ready:  # nothing answered for 30 s: count what is in flight as failed
            for key in list(selector.get_map().values()):
                finish(key.data, ok=False)
                start()
            continue
        for key, events in ready:
            connection: _Connection = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    if connection.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        raise OSError("connect failed")
                    sent = connection.sock.send(connection.pending)
                    connection.pending = connection.pending[sent:]
                    if not connection.pending:
                        selector.modify(connection.sock, selectors.EVENT_READ, connection)
                    continue
                data = connection.sock.recv(262144)
            except OSError:
                finish(connection, ok=False)
            else:
                if data:
                    connection.chunks.append(data)
                    continue
                finish(connection, ok=_response_ok(b"".join(connection.chunks)))
            start()
    elapsed = time.perf_counter() - began
    selector.close()
    return latencies, failures, elapsed


def run_load(
    *, port: int, body: bytes, in_flight: int, requests: int, path: str = "/graphql/", warmup: int = 20
) -> dict[str, float]:
    request = _request_bytes(port, path, body, {"Content-Type": "application/json"})
    address = ("127.0.0.1", port)
    _drive(address, request, 1, warmup)
    latencies, failures, elapsed = _drive(address, request, in_flight, requests)
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
    }
