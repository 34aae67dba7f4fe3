"""Counters behind every throttle and rate limit (sign-in, registration, password reset, GraphQL).

A `Rule` names a counter, its limit and its window; keys (an e-mail, an IP address) are hashed, so
the cache holds no readable addresses and keys stay short for every backend. Counters live in the
shared Django cache (Redis in production), so every process sees the same numbers; without one (the
development file cache, whose increments are neither atomic nor cheap) each process counts on its
own.

When the cache fails (Redis down or unreachable), counting goes on in this process instead, with
a warning in the log, and the cache is retried after `RETRY_AFTER_SECONDS`: a throttle must never
turn a cache outage into failed sign-ins, nor into no limit at all. Each process then counts on
its own, so the effective limit is the configured one times the number of processes until the
cache is back.

Two kinds of window: `renew=True` restarts the window at every hit (failed sign-ins: an aligned
window would let an attacker spend two windows' worth of attempts around its boundary), otherwise
the window runs from the first hit (requests per minute).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "throttle"
RETRY_AFTER_SECONDS = 30.0
LOCAL_MAX_KEYS = 100_000

T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window_seconds: int
    renew: bool = False


def cache_key(rule: Rule, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
    return f"{PREFIX}:{rule.name}:{digest}"


class _LocalCounters:
    """In-process counters with expiry: the fallback while the shared cache is down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def get(self, key: str) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if expires > time.monotonic() else 0

    def add(self, key: str, amount: int, window: int, renew: bool) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + window
            elif renew:
                expires = now + window
            self._counts[key] = (count + amount, expires)
            if len(self._counts) > LOCAL_MAX_KEYS:
                self._purge(now)
            return count + amount

    def delete(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    def _purge(self, now: float) -> None:
        live = {k: v for k, v in self._counts.items() if v[1] > now}
        if len(live) > LOCAL_MAX_KEYS:  # still too many: keep those expiring last
            live = dict(sorted(live.items(), key=lambda item: item[1][1])[-LOCAL_MAX_KEYS // 2 :])
        self._counts = live


local_counters = _LocalCounters()


class _CacheDown(Exception):
    pass


class _CacheHealth:
    def __init__(self) -> None:
        self.down_until = 0.0

    def call(self, operation: Callable[[], T]) -> T:
        if self.down_until > time.monotonic():
            raise _CacheDown
        try:
            return operation()
        except Exception as exc:
            if self.down_until == 0.0:
                logger.warning("Throttle cache unavailable (%s); counting in this process meanwhile.", exc)
            self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
            raise _CacheDown from exc

    def answered(self) -> None:
        if self.down_until:
            logger.warning("Throttle cache answers again; counting there.")
        self.down_until = 0.0


_health = _CacheHealth()


# Cache backends that cannot hold counters well: counted in this process instead.
_NOT_FOR_COUNTERS = ("django.core.cache.backends.filebased.", "django.core.cache.backends.dummy.")


def _cache_counts() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.startswith(_NOT_FOR_COUNTERS)


def reset_state() -> None:
    """Forget the fallback counters and the cache's health (tests, and after a cache change)."""
    local_counters.clear()
    _health.down_until = 0.0


def counts(pairs: Iterable[tuple[Rule, str]]) -> list[int]:
    """The current count of each (rule, key)."""
    keys = [cache_key(rule, key) for rule, key in pairs]
    if not _cache_counts():
        return [local_counters.get(k) for k in keys]
    try:
        found = _health.call(lambda: cache.get_many(keys))
    except _CacheDown:
        return [local_counters.get(k) for k in keys]
    _health.answered()
    return [int(found.get(k, 0)) for k in keys]


def exceeded(pairs: Iterable[tuple[Rule, str]]) -> bool:
    """Has any (rule, key) reached its limit?"""
    pairs = list(pairs)
    return any(count >= rule.limit for count, (rule, _key) in zip(counts(pairs), pairs, strict=True))


def _cache_add(key: str, amount: int, rule: Rule) -> int:
    if cache.add(key, amount, timeout=rule.window_seconds):
        return amount
    try:
        total = int(cache.incr(key, amount))
    except ValueError:  # expired between add() and incr()
        cache.add(key, amount, timeout=rule.window_seconds)
        return amount
    if rule.renew:
        cache.touch(key, timeout=rule.window_seconds)
    return total


def hit(rule: Rule, key: str, amount: int = 1) -> int:
    """Count `amount` against (rule, key); the new total."""
    name = cache_key(rule, key)
    if not _cache_counts():
        return local_counters.add(name, amount, rule.window_seconds, rule.renew)
    try:
        total = _health.call(lambda: _cache_add(name, amount, rule))
    except _CacheDown:
        return local_counters.add(name, amount, rule.window_seconds, rule.renew)
    _health.answered()
    return total


def clear(rule: Rule, key: str) -> None:
    name = cache_key(rule, key)
    local_counters.delete(name)
    if not _cache_counts():
        return
    try:
        _health.call(lambda: cache.delete(name))
    except _CacheDown:
        return
    _health.answered()


def attempt(pairs: Iterable[tuple[Rule, str]], amount: int = 1) -> bool:
    """One attempt against every (rule, key): False, counting nothing, when any limit is reached;
    otherwise count it everywhere and answer True."""
    pairs = list(pairs)
    if exceeded(pairs):
        return False
    for rule, key in pairs:
        hit(rule, key, amount)
    return True
