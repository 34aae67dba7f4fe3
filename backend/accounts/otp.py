"""One-time codes (OTP) sent to a Vietnamese mobile: ask for one, then prove the phone with it.

- 6 digits from `secrets`, kept only as an HMAC-SHA256 keyed with SECRET_KEY (phone, purpose, code);
  valid OTP_TTL_SECONDS, once (a conditional UPDATE marks it used, so two requests cannot both use it).
- Asking: one code per number every OTP_RESEND_SECONDS (and per IP), at most OTP_PER_PHONE_PER_HOUR a
  number and OTP_PER_IP_PER_HOUR an IP. A new code replaces the previous ones of that purpose.
- Guessing: every wrong code counts against the number and the IP; after OTP_MAX_ATTEMPTS wrong codes
  the number is locked for OTP_LOCK_SECONDS (no code is accepted, none is sent).
- Whether the number has an account never changes the answer: `request_code` answers the same, and
  when nothing should be sent (a reset for a number without a verified account) nothing is, silently.

The code travels to the notifications app as an outbox item of kind `notifications.otp`, written in
the caller's transaction and redacted once delivered; accounts never imports the notifications app.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import CodePurpose, PhoneCode
from backend.accounts.phones import normalize_vn_phone
from backend.core import throttle
from backend.core.errors import DomainError, Throttled
from backend.core.throttle import Rule
from backend.outbox.services import enqueue

CODE_DIGITS = 6
OTP_OUTBOX_KIND = "notifications.otp"


class InvalidCode(DomainError):
    """A wrong, expired, used or unknown code: one answer for all of them."""

    default_code = "INVALID_CODE"
    default_message = _("The code is wrong or has expired. Ask for a new one.")


class PhoneLocked(Throttled):
    default_message = _("Too many wrong codes for this number. Wait a few minutes, then ask for a new code.")


@dataclass(frozen=True)
class CodeRequest:
    """What the caller may tell the person (the same whether or not an account exists)."""

    phone: str
    resend_after_seconds: int
    expires_in_seconds: int
    sent: bool  # for tests and logs only: never shown


def _lock_rules(*, phone: str, ip: str | None) -> list[tuple[Rule, str]]:
    window = settings.OTP_LOCK_SECONDS
    pairs = [(Rule("otp-verify-phone", settings.OTP_MAX_ATTEMPTS, window, renew=True), phone)]
    if ip:
        pairs.append((Rule("otp-verify-ip", settings.OTP_VERIFY_PER_IP, window, renew=True), ip))
    return pairs


def _hash(*, phone: str, purpose: str, code: str) -> str:
    message = f"{phone}|{purpose}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_locked(*, phone: str, ip: str | None = None) -> bool:
    return throttle.exceeded(_lock_rules(phone=phone, ip=ip))


def request_code(
    *,
    phone: str,
    purpose: str,
    ip: str | None,
    send: bool = True,
    language: str = "",
    field: str = "phone",
) -> CodeRequest:
    """Make a code for `phone` and hand it to the notifications outbox (unless `send` is False).

    Raises ValidationFailed for a number that is not a Vietnamese number, and THROTTLED (cooldown,
    hourly caps, locked number); both whoever owns the number. `send=False` does the same work
    and answers the same, but records and sends nothing (a reset for a number without an account).
    """
    e164 = normalize_vn_phone(phone, field=field)
    if is_locked(phone=e164, ip=ip):
        raise PhoneLocked(field=field)
    cooldown = settings.OTP_RESEND_SECONDS
    hour = 60 * 60
    pairs = [
        (Rule(f"otp-resend-{purpose}", 1, cooldown), e164),
        (Rule("otp-request-phone", settings.OTP_PER_PHONE_PER_HOUR, hour), e164),
    ]
    if ip:
        pairs += [
            (Rule("otp-resend-ip", 1, cooldown), f"{ip}|{e164}"),
            (Rule("otp-request-ip", settings.OTP_PER_IP_PER_HOUR, hour), ip),
        ]
    if not throttle.attempt(pairs):
        raise Throttled(_("Please wait a minute before asking for another code."), field=field)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    ttl = settings.OTP_TTL_SECONDS
    result = CodeRequest(phone=e164, resend_after_seconds=cooldown, expires_in_seconds=ttl, sent=send)
    if not send:
        _hash(phone=e164, purpose=purpose, code=code)  # the same work
        return result
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(phone=e164, purpose=purpose, used_at__isnull=True).update(used_at=now)
        row = PhoneCode.objects.create(
            phone=e164,
            purpose=purpose,
            code_hash=_hash(phone=e164, purpose=purpose, code=code),
            expires_at=now + timedelta(seconds=ttl),
        )
        enqueue(
            kind=OTP_OUTBOX_KIND,
            key=f"otp:{row.pk}",
            payload={
                "phone": e164,
                "code": code,
                "purpose": purpose,
                "minutes": max(1, ttl // 60),
                "language": language or (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0],
                "code_id": row.pk,
            },
            redact=True,
        )
    return result


def _live(*, phone: str, purpose: str) -> PhoneCode | None:
    return (
        PhoneCode.objects.filter(
            phone=phone,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=settings.OTP_MAX_ATTEMPTS,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def check_code(
    *, phone: str, purpose: str, code: str, ip: str | None, consume: bool = True, field: str = "code"
) -> str:
    """The E.164 number when `code` is its live code for `purpose`; consumed unless `consume` is False.

    A wrong code counts against the code, the number and the IP; once the number has
    OTP_MAX_ATTEMPTS wrong codes it is locked (PhoneLocked, THROTTLED) for OTP_LOCK_SECONDS.
    """
    e164 = normalize_vn_phone(phone, field="phone")
    if is_locked(phone=e164, ip=ip):
        raise PhoneLocked(field=field)
    given = "".join(ch for ch in (code or "") if ch.isdigit())
    row = _live(phone=e164, purpose=purpose)
    expected = row.code_hash if row is not None else _hash(phone=e164, purpose=purpose, code="-")
    if len(given) != CODE_DIGITS or not hmac.compare_digest(expected, _hash(phone=e164, purpose=purpose, code=given)):
        if row is not None:
            PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        for rule, key in _lock_rules(phone=e164, ip=ip):
            throttle.hit(rule, key)
        if is_locked(phone=e164, ip=ip):
            raise PhoneLocked(field=field)
        raise InvalidCode(field=field)
    assert row is not None
    if consume:
        used = PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
        if used != 1:  # used by a concurrent request meanwhile
            raise InvalidCode(field=field)
        throttle.clear(_lock_rules(phone=e164, ip=None)[0][0], e164)
    return e164


def purpose_or_error(value: str) -> str:
    """A CodePurpose value from the API's enum name."""
    if value not in CodePurpose.values:
        raise InvalidCode(_("Unknown purpose."), code="INVALID", field="purpose")
    return value
