"""Account throttles: sign-in failures, registrations and password resets, per address and per IP.

All of them count through `backend.core.throttle` (the shared cache, in-process counters while it
is down). Sign-in counts failures: a counter starts with the first failure and expires
LOGIN_THROTTLE_WINDOW_SECONDS after the latest one; while the e-mail's counter has reached
LOGIN_THROTTLE_PER_EMAIL, or the IP's LOGIN_THROTTLE_PER_IP, sign-in is refused before the
password is checked. Registration and password-reset requests count every attempt, per address (or
phone) and per IP, in fixed windows.

Other guessable look-ups reuse the sign-in counters under their own `scope` (the order look-up
by number and e-mail or phone counts per order number and per IP).
"""

from __future__ import annotations

from django.conf import settings

from backend.core import throttle
from backend.core.throttle import Rule


def _login_pairs(*, email: str, ip: str | None, scope: str = "login") -> list[tuple[Rule, str]]:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    pairs = [(Rule(f"{scope}-email", settings.LOGIN_THROTTLE_PER_EMAIL, window, renew=True), email)]
    if ip:
        pairs.append((Rule(f"{scope}-ip", settings.LOGIN_THROTTLE_PER_IP, window, renew=True), ip))
    return pairs


def is_blocked(*, email: str, ip: str | None, scope: str = "login") -> bool:
    """True when the e-mail (or other identifier) or the IP has used up its failed attempts."""
    return throttle.exceeded(_login_pairs(email=email, ip=ip, scope=scope))


def record_failure(*, email: str, ip: str | None, scope: str = "login") -> None:
    """Count one failed attempt against the e-mail (or other identifier) and the IP."""
    for rule, key in _login_pairs(email=email, ip=ip, scope=scope):
        throttle.hit(rule, key)


def reset(*, email: str) -> None:
    """Forget the e-mail's failures (after a successful sign-in).

    The IP counter is kept: otherwise an attacker could clear it by signing in
    to an account of their own between guesses.
    """
    throttle.clear(_login_pairs(email=email, ip=None)[0][0], email)


def _per_address_and_ip(name: str, *, per_address: int, per_ip: int, window: int, address: str, ip: str | None) -> bool:
    pairs = [(Rule(f"{name}-address", per_address, window), address)] if address else []
    if ip:
        pairs.append((Rule(f"{name}-ip", per_ip, window), ip))
    return throttle.attempt(pairs)


def registration_allowed(*, email: str, ip: str | None) -> bool:
    """Count one registration attempt; False once the address or the IP has used up its window."""
    return _per_address_and_ip(
        "register",
        per_address=settings.REGISTER_THROTTLE_PER_EMAIL,
        per_ip=settings.REGISTER_THROTTLE_PER_IP,
        window=settings.REGISTER_THROTTLE_WINDOW_SECONDS,
        address=email,
        ip=ip,
    )


def password_reset_allowed(*, account_key: str, ip: str | None) -> bool:
    """Count one password-reset request (or new-password attempt) for an address or phone and an IP."""
    return _per_address_and_ip(
        "password-reset",
        per_address=settings.PASSWORD_RESET_THROTTLE_PER_ACCOUNT,
        per_ip=settings.PASSWORD_RESET_THROTTLE_PER_IP,
        window=settings.PASSWORD_RESET_THROTTLE_WINDOW_SECONDS,
        address=account_key,
        ip=ip,
    )
