"""Recorded HTTP exchanges for the carrier adapters: no network, and every request the adapter
sends is compared exactly (method, URL, headers, body) with the recording.

A recording (tests/shipping/recordings/<carrier>/<name>.json) is
`{"note": …, "headers": {headers every request carries}, "exchanges": [{"request": {"method", "url",
"headers" (extra), "json" | "form" | "body"}, "response": {"status", "headers", "json" | "text" |
"base64"}}]}`. See recordings/README.md for where their contents come from."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from shipping.errors import CarrierUnavailable
from shipping.transport import HttpRequest, HttpResponse

RECORDINGS = Path(__file__).with_name("recordings")


def _response(spec: dict[str, Any]) -> HttpResponse:
    headers = dict(spec.get("headers", {}))
    if "json" in spec:
        body = json.dumps(spec["json"], ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    elif "base64" in spec:
        body = base64.b64decode(spec["base64"])
    else:
        body = spec.get("text", "").encode("utf-8")
    return HttpResponse(status=spec["status"], body=body, headers=headers)


def assert_request(expected: dict[str, Any], common_headers: dict[str, str], actual: HttpRequest) -> None:
    where = f"{actual.method} {actual.url}"
    assert actual.method == expected["method"], where
    assert actual.url == expected["url"], where
    assert dict(actual.headers) == {**common_headers, **expected.get("headers", {})}, where
    if "json" in expected:
        assert json.loads(actual.body.decode("utf-8")) == expected["json"], where
    elif "form" in expected:
        assert parse_qs(actual.body.decode("utf-8")) == expected["form"], where
    else:
        assert actual.body == expected.get("body", "").encode("utf-8"), where


@dataclass
class ReplayTransport:
    """Answers each request with the next recorded response after checking it is the recorded request."""

    exchanges: list[dict[str, Any]]
    headers: dict[str, str] = field(default_factory=dict)
    sent: list[HttpRequest] = field(default_factory=list)
    lose_answer_to: str | None = None  # a URL part: that request reaches the carrier, its answer is lost

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        assert 0 < timeout <= 30, "every call has a timeout"
        self.sent.append(request)
        assert self.exchanges, f"unexpected request {request.method} {request.url}"
        exchange = self.exchanges.pop(0)
        assert_request(exchange["request"], self.headers, request)
        if self.lose_answer_to and self.lose_answer_to in request.url:
            self.lose_answer_to = None
            raise CarrierUnavailable(f"{request.url}: timed out waiting for the answer")
        return _response(exchange["response"])

    def assert_done(self) -> None:
        left = [f"{e['request']['method']} {e['request']['url']}" for e in self.exchanges]
        assert not left, f"recorded requests never sent: {left}"


def replay(carrier_id: str, name: str) -> ReplayTransport:
    """The recording `name` of `carrier_id`; an empty transport for carriers without HTTP (sandbox)."""
    path = RECORDINGS / carrier_id / f"{name}.json"
    if not path.exists():
        return ReplayTransport(exchanges=[])
    document = json.loads(path.read_text(encoding="utf-8"))
    return ReplayTransport(exchanges=list(document["exchanges"]), headers=dict(document.get("headers", {})))
