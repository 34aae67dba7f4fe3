"""Login throttling: failed attempts counted per e-mail and per client IP.

Counters live in the shared Django cache (Redis in production), so every
process sees the same numbers. A counter starts with the first failure and
expires LOGIN_THROTTLE_WINDOW_SECONDS after the latest one; while the e-mail's
counter has reached LOGIN_THROTTLE_PER_EMAIL, or the IP's has reached
LOGIN_THROTTLE_PER_IP, sign-in is refused before the password is checked.

The window is renewed by every failure (`touch`) rather than aligned to the
clock: an aligned window lets an attacker spend two windows' worth of attempts
around a boundary, and renewing the TTL also keeps the window right on cache
backends whose `incr` resets it (the file cache).

Other guessable look-ups reuse the same counters under their own `scope` (the
order look-up by number and e-mail or phone counts per order number and per IP).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

_PREFIX = "login-failures"


def _email_key(email: str, scope: str = _PREFIX) -> str:
    # Hashed: keys stay short and safe for every backend, and the cache holds
    # no readable e-mail addresses.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{scope}:email:{digest}"


def _ip_key(ip: str, scope: str = _PREFIX) -> str:
    return f"{scope}:ip:{hashlib.sha256(ip.strip().encode()).hexdigest()}"


def _keys(*, email: str, ip: str | None, scope: str) -> list[tuple[str, int]]:
    keys = [(_email_key(email, scope), settings.LOGIN_THROTTLE_PER_EMAIL)]
    if ip:
        keys.append((_ip_key(ip, scope), settings.LOGIN_THROTTLE_PER_IP))
    return keys


def is_blocked(*, email: str, ip: str | None, scope: str = _PREFIX) -> bool:
    """True when the e-mail (or other identifier) or the IP has used up its failed attempts."""
    keys = _keys(email=email, ip=ip, scope=scope)
    counts = cache.get_many([key for key, _limit in keys])
    return any(int(counts.get(key, 0)) >= limit for key, limit in keys)


def record_failure(*, email: str, ip: str | None, scope: str = _PREFIX) -> None:
    """Count one failed attempt against the e-mail (or other identifier) and the IP."""
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key, _limit in _keys(email=email, ip=ip, scope=scope):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)
        cache.touch(key, timeout=window)


def reset(*, email: str) -> None:
    """Forget the e-mail's failures (after a successful sign-in).

    The IP counter is kept: otherwise an attacker could clear it by signing in
    to an account of their own between guesses.
    """
    cache.delete(_email_key(email))
