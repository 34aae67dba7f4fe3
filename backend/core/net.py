"""The client's network address behind a known number of reverse proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for throttling.

    REMOTE_ADDR, unless the setting TRUSTED_PROXY_COUNT (default 0) says how
    many reverse proxies append to X-Forwarded-For in front of the app: then
    the address the outermost trusted proxy saw. Entries further left are
    written by the client and can be forged, so they are never used.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
