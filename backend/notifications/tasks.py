"""Outbox handlers: deliver a notification; turn an OTP handed over by accounts into one."""

from __future__ import annotations

from django.db import transaction

from backend.notifications import services
from backend.outbox.registry import handler


@handler(services.DELIVER_KIND)
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id=notification_id)


@handler("notifications.otp")
def send_otp(*, phone: str, code: str, purpose: str, minutes: int, language: str, code_id: int) -> str:
    """A code from `backend.accounts.otp`: to the phone only (Zalo, then SMS), redacted once sent."""
    with transaction.atomic():
        rows = services.notify(
            kind="otp",
            event_key=f"otp:{code_id}",
            recipients=[services.To(phone=phone, language=language)],
            params={"code": code, "purpose": purpose, "minutes": minutes},
            redact=True,
        )
    if not rows:
        return "DUPLICATE"
    return services.deliver(notification_id=rows[0].pk)
