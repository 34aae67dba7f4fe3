"""HTTP for the adapters, injected so tests replay recorded exchanges and assert the exact requests.

`Transport.send` never raises for an HTTP status (a 4xx is an answer the adapter reads); it raises
`CarrierUnavailable` only when no answer came (network failure, timeout). `ApiClient` adds the
carrier's base URL and fixed headers, encodes JSON, and turns 5xx and non-JSON answers into
`CarrierUnavailable`, so adapters only deal with documented answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from shipping.errors import CarrierUnavailable

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "cho-phien-shipping/1.0"


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)


class Transport(Protocol):
    def send(self, request: HttpRequest, timeout: float) -> HttpResponse: ...


class UrllibTransport:
    """The default transport: the standard library's HTTP client, with a timeout on every call."""

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        prepared = urllib.request.Request(
            request.url, data=request.body or None, method=request.method, headers=dict(request.headers)
        )
        try:
            with urllib.request.urlopen(prepared, timeout=timeout) as answer:
                return HttpResponse(status=answer.status, body=answer.read(), headers=dict(answer.headers.items()))
        except urllib.error.HTTPError as exc:  # a 4xx/5xx is still an answer
            return HttpResponse(status=exc.code, body=exc.read() or b"", headers=dict(exc.headers.items()))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CarrierUnavailable(f"{request.method} {request.url}: {exc}") from exc


def encode_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ApiClient:
    """JSON over HTTP to one carrier."""

    def __init__(
        self,
        *,
        base_url: str,
        transport: Transport,
        timeout: float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.timeout = timeout
        self.headers = dict(headers or {})

    def url(self, path: str, query: Mapping[str, object] | None = None) -> str:
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        return f"{url}?{urlencode(query, doseq=True)}" if query else url

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        all_headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **self.headers, **(headers or {})}
        body = b""
        if payload is not None:
            body = encode_json(payload)
            all_headers["Content-Type"] = "application/json"
        request = HttpRequest(method=method, url=self.url(path, query), headers=all_headers, body=body)
        response = self.transport.send(request, self.timeout)
        if response.status >= 500:
            raise CarrierUnavailable(f"{method} {request.url}: HTTP {response.status}")
        return response

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Any]:
        """(HTTP status, decoded JSON answer) for answers below 500."""
        response = self.send(method, path, query=query, payload=payload, headers=headers)
        try:
            return response.status, json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CarrierUnavailable(f"{method} {path}: HTTP {response.status}, answer is not JSON") from exc
