"""The HTTP transport shared by the pure adapter packages (`messaging/`, `identity/`).

Adapters build an `HttpRequest`, hand it to an injected `Transport` and read the `HttpResponse`.
The default transport is `urllib.request` with a timeout; tests inject a recorded transport
that checks every request byte for byte. An HTTP error status is an answer, not an exception
(providers put their error codes in the body); only "no answer at all" raises `TransportError`.

Pure Python: no Django, nothing from `backend/`."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 10.0


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
        """A header's value, whatever the case of its name; None when absent."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)

    def json(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is not one."""
        try:
            decoded = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return decoded if isinstance(decoded, dict) else None


class TransportError(Exception):
    """No answer: DNS, connection, TLS or timeout. Always worth retrying later."""


# A transport sends one request with a timeout (seconds) and returns the answer.
Transport = Callable[[HttpRequest, float], HttpResponse]


def urllib_transport(request: HttpRequest, timeout: float) -> HttpResponse:
    """The default transport: a real call through `urllib.request`."""
    prepared = urllib.request.Request(
        request.url, data=request.body or None, method=request.method, headers=dict(request.headers)
    )
    try:
        with urllib.request.urlopen(prepared, timeout=timeout) as answer:
            return HttpResponse(status=answer.status, body=answer.read(), headers=dict(answer.headers.items()))
    except urllib.error.HTTPError as exc:  # an answer with an error status: the body says why
        return HttpResponse(status=exc.code, body=exc.read() or b"", headers=dict(exc.headers.items()))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransportError(f"{request.method} {urllib.parse.urlsplit(request.url).netloc}: {exc}") from exc


def json_request(url: str, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> HttpRequest:
    """A POST with a compact UTF-8 JSON body (Vietnamese kept as is, not \\u-escaped)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return HttpRequest(
        method="POST",
        url=url,
        headers={"Content-Type": "application/json; charset=UTF-8", "Accept": "application/json", **(headers or {})},
        body=body,
    )


def form_request(url: str, fields: Mapping[str, str], headers: Mapping[str, str] | None = None) -> HttpRequest:
    """A POST with an `application/x-www-form-urlencoded` body."""
    return HttpRequest(
        method="POST",
        url=url,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", **(headers or {})},
        body=urllib.parse.urlencode(fields).encode("ascii"),
    )


def setting(environ: Mapping[str, str], name: str) -> str | None:
    """A configuration value, or None when unset or blank."""
    value = environ.get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    return value or None


def flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    """A boolean setting: 1/true/yes/on (any case) is on, 0/false/no/off is off, blank is the default."""
    value = (setting(environ, name) or "").lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return default
