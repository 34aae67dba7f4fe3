"""Cache calls that degrade instead of failing: Redis down means "no cache", with a warning.

After a failure the cache is skipped for BACKOFF_SECONDS in this process, so an outage costs
one connection attempt per few seconds, not one per request. The first success after an
outage is reported once (`consume_recovery`), so callers can drop what they may have missed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
logger = logging.getLogger(__name__)
BACKOFF_SECONDS = 5.0

_down_until = 0.0
_was_down = False


def guarded(operation: str, call: Callable[[], T], default: T) -> T:
    """`call()`, or `default` (and a logged warning) when the cache fails or recently failed."""
    global _down_until, _was_down
    if time.monotonic() < _down_until:
        return default
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - redis, socket and pickling errors all mean "no cache"
        _down_until = time.monotonic() + BACKOFF_SECONDS
        _was_down = True
        logger.warning("Cache unavailable (%s: %s); serving without it for %.0f s", operation, exc, BACKOFF_SECONDS)
        return default


def consume_recovery() -> bool:
    """True once, on the first call after an outage ended (the caller invalidates what it missed)."""
    global _was_down
    if _was_down and time.monotonic() >= _down_until:
        _was_down = False
        return True
    return False


def is_down() -> bool:
    return time.monotonic() < _down_until


def reset() -> None:
    global _down_until, _was_down
    _down_until, _was_down = 0.0, False
