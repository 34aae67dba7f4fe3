"""The default transport against a local HTTP server: answers of any status come back, a silent
server times out into CarrierUnavailable, and requests carry what the adapter set."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shipping.errors import CarrierUnavailable
from shipping.transport import ApiClient, HttpRequest, UrllibTransport

SEEN: list[dict[str, object]] = []


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return None

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        SEEN.append({"path": self.path, "token": self.headers.get("Token"), "body": body})
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        status = 400 if self.path.startswith("/bad") else 200
        answer = json.dumps({"code": status, "echo": json.loads(body or b"{}")}).encode()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client may have given up
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_json_round_trip_with_the_fixed_headers(server: str) -> None:
    client = ApiClient(base_url=server, transport=UrllibTransport(), timeout=5, headers={"Token": "t-1"})
    status, answer = client.call("POST", "/ok", payload={"tên": "Đà Lạt"})
    assert status == 200 and answer["echo"] == {"tên": "Đà Lạt"}
    assert SEEN[-1]["token"] == "t-1" and SEEN[-1]["body"] == '{"tên":"Đà Lạt"}'.encode()


def test_a_4xx_is_an_answer_not_an_exception(server: str) -> None:
    response = UrllibTransport().send(
        HttpRequest("POST", f"{server}/bad", {"Content-Type": "application/json"}, b"{}"), 5
    )
    assert response.status == 400 and json.loads(response.body)["code"] == 400


def test_a_silent_server_times_out(server: str) -> None:
    with pytest.raises(CarrierUnavailable):
        UrllibTransport().send(HttpRequest("POST", f"{server}/slow", {}, b"{}"), 0.3)


def test_nobody_listening_is_unavailable() -> None:
    with pytest.raises(CarrierUnavailable):
        UrllibTransport().send(HttpRequest("GET", "http://127.0.0.1:9/"), 1)
