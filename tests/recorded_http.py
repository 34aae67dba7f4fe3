"""A transport that replays recorded request/response pairs and checks each request exactly.

A recording is a JSON file: `{"source": "...", "exchanges": [{"request": {...}, "response": {...}}]}`.
A request names `method`, `url`, every header sent (`headers`) and its body as `json` (compared as a
decoded object), `form` (decoded pairs) or nothing. A response has `status` and `json` (or `body`
text), or `"raise": "timeout"` for a call that never answers."""

from __future__ import annotations

import json
import urllib.parse
from copy import deepcopy
from pathlib import Path
from typing import Any

from adapter_http import HttpRequest, HttpResponse, TransportError


def load_recording(path: Path) -> list[dict[str, Any]]:
    exchanges: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["exchanges"]
    return exchanges


def decoded_request(request: HttpRequest) -> dict[str, Any]:
    """A request in the recording's shape, for comparison."""
    seen: dict[str, Any] = {"method": request.method, "url": request.url, "headers": dict(request.headers)}
    content_type = request.headers.get("Content-Type", "")
    if request.body and content_type.startswith("application/json"):
        seen["json"] = json.loads(request.body.decode("utf-8"))
    elif request.body and content_type.startswith("application/x-www-form-urlencoded"):
        seen["form"] = dict(urllib.parse.parse_qsl(request.body.decode("ascii"), keep_blank_values=True))
    elif request.body:
        seen["body"] = request.body.decode("utf-8")
    return seen


class RecordedTransport:
    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.exchanges = deepcopy(exchanges)
        self.sent: list[HttpRequest] = []
        self.timeouts: list[float] = []

    @classmethod
    def from_file(cls, path: Path) -> RecordedTransport:
        return cls(load_recording(path))

    def __call__(self, request: HttpRequest, timeout: float) -> HttpResponse:
        assert self.exchanges, f"unexpected request: {request.method} {request.url}"
        exchange = self.exchanges.pop(0)
        self.sent.append(request)
        self.timeouts.append(timeout)
        assert decoded_request(request) == exchange["request"]
        response = exchange["response"]
        if response.get("raise") == "timeout":
            raise TransportError("timed out")
        body = json.dumps(response["json"]).encode() if "json" in response else response.get("body", "").encode()
        return HttpResponse(status=response["status"], body=body, headers=response.get("headers", {}))

    @property
    def done(self) -> bool:
        return not self.exchanges


def no_network(request: HttpRequest, timeout: float) -> HttpResponse:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def unreachable(request: HttpRequest, timeout: float) -> HttpResponse:
    raise TransportError("connection refused")
