"""HTTP for the adapters, injected so tests replay recorded exchanges and assert the exact requests.

`Transport.send` never raises for an HTTP status (a 4xx is an answer the adapter reads); it raises
`CarrierUnavailable` only when no answer came (network failure, timeout). `ApiClient` adds the
carrier's base URL and fixed headers, encodes JSON, and turns 5xx and non-JSON answers into
`CarrierUnavailable`, so adapters only deal with documented answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlencode

from adapter_http import DEFAULT_TIMEOUT, HttpRequest, HttpResponse, TransportError, urllib_transport
from shipping.errors import CarrierUnavailable

__all__ = ["DEFAULT_TIMEOUT", "ApiClient", "HttpRequest", "HttpResponse", "Transport", "UrllibTransport", "encode_json"]

USER_AGENT = "cho-phien-shipping/1.0"


class Transport(Protocol):
    def send(self, request: HttpRequest, timeout: float) -> HttpResponse: ...


class UrllibTransport:
    """The default transport: the shared `adapter_http` client, with a timeout on every call."""

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        try:
            return urllib_transport(request, timeout)  # a 4xx/5xx is still an answer
        except TransportError as exc:
            raise CarrierUnavailable(str(exc)) from exc


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
