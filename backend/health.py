"""Readiness: what each backing part answers, for orchestrators and operators (`/healthz/ready`).

`/healthz` (backend.core.views) stays the liveness probe: the process answers and reaches its
database. Readiness reports every part; it answers 503 only when a part listed in
HEALTH_READY_REQUIRED is down, since the others degrade (no cache, outbox rows waiting for the
broker, search answered from the database).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backend.outbox.publish import reset as broker_reset
from backend.outbox.selectors import backlog
from search.indexing import index_state

Check = Callable[[], dict[str, Any]]


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    nonce = uuid.uuid4().hex
    cache.set("health:ready", nonce, timeout=10)
    return {"ok": cache.get("health:ready") == nonce}


def _broker() -> dict[str, Any]:
    if current_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager"}
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    broker_reset()  # publish again at once instead of waiting out a failure's back-off
    return {"ok": True}


def _search() -> dict[str, Any]:
    state = index_state()
    return {
        "ok": not state.problem,
        "backend": settings.SEARCH_BACKEND,
        "problem": state.problem,
        "documents": state.documents,
        "expected": state.expected,
        "pending": state.pending,
    }


def _outbox() -> dict[str, Any]:
    waiting = backlog()
    return {
        "ok": waiting.oldest_pending_seconds <= settings.HEALTH_OUTBOX_MAX_AGE_SECONDS,
        "pending": waiting.pending,
        "dead": waiting.dead,
        "oldest_pending_seconds": round(waiting.oldest_pending_seconds, 1),
    }


CHECKS: dict[str, Check] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "search": _search,
    "outbox": _outbox,
}


def _run(check: Check) -> dict[str, Any]:
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - a failing part is reported, never raised
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    required = set(settings.HEALTH_READY_REQUIRED)
    results = {name: _run(check) for name, check in CHECKS.items()}
    # The database answers first: the later checks read it, and they fail with it.
    down = {name for name, result in results.items() if not result["ok"]}
    if down & required:
        status, code = "unavailable", 503
    elif down:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "required": sorted(required), "checks": results}, status=code)
