"""Per-IP rate limits for anonymous GraphQL traffic: requests per minute and estimated cost per minute.

Counted by `backend.core.throttle` (the shared cache, so every process sees the same numbers;
in-process counters while it is down). Signed-in users are identified by their token and are not
limited here. Over the limit, the request is answered at once with HTTP 429, the error code
THROTTLED and a Retry-After header.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from backend.core import throttle
from backend.core.net import client_ip
from backend.core.throttle import Rule

WINDOW_SECONDS = 60


def _anonymous_ip(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return client_ip(request)


def request_allowed(request: HttpRequest) -> bool:
    """Count one anonymous request against its IP; False once the minute's requests are used up."""
    ip = _anonymous_ip(request)
    if ip is None:
        return True
    rule = Rule("graphql-anon-requests", settings.GRAPHQL_ANON_REQUESTS_PER_MINUTE, WINDOW_SECONDS)
    return throttle.attempt([(rule, ip)])


def cost_allowed(request: HttpRequest, cost: int) -> bool:
    """Count an anonymous request's estimated cost against its IP; False once the minute's is spent."""
    ip = _anonymous_ip(request)
    if ip is None or cost <= 0:
        return True
    rule = Rule("graphql-anon-cost", settings.GRAPHQL_ANON_COST_PER_MINUTE, WINDOW_SECONDS)
    return throttle.attempt([(rule, ip)], amount=cost)


def throttled_response() -> HttpResponse:
    error = {
        "message": "Too many requests from this address. Wait a minute and try again, or sign in.",
        "extensions": {"code": "THROTTLED"},
    }
    response = HttpResponse(orjson.dumps({"errors": [error]}), status=429, content_type="application/json")
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response
