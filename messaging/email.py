"""E-mail through a send function the backend injects (Django's mail sending), so this package stays
free of Django. The function receives an `EmailEnvelope` and returns the Message-ID it used, or raises:

- `EmailRejected(permanent=...)` for a refusal it recognises;
- `smtplib.SMTPRecipientsRefused` (the mailbox does not exist): permanent, try another channel;
- any other `smtplib.SMTPResponseException`: permanent on a 5xx code, retryable on a 4xx;
- `OSError` (every `smtplib.SMTPException` is one; also socket and TLS errors): retryable."""

from __future__ import annotations

import hashlib
import re
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from adapter_http import HttpResponse
from messaging.base import (
    AddressKind,
    DeliveryError,
    DeliveryReceipt,
    DeliveryResult,
    InboundRequest,
    Medium,
    Message,
    ReceiptNotSupported,
    Recipient,
)

# Deliberately loose: the backend validated the address with Django's EmailValidator already.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class EmailEnvelope:
    to: str
    subject: str
    text: str
    html: str | None
    message_id: str  # stable per idempotency key: a resend carries the same Message-ID
    headers: Mapping[str, str] = field(default_factory=dict)


class EmailRejected(Exception):
    def __init__(self, detail: str = "", *, permanent: bool = True) -> None:
        super().__init__(detail)
        self.permanent = permanent


SendEmail = Callable[[EmailEnvelope], str | None]


class EmailChannel:
    id: str = "email"
    name: str = "E-mail"
    medium: Medium = Medium.EMAIL
    address_kind: AddressKind = AddressKind.EMAIL

    def __init__(self, send: SendEmail, *, message_id_domain: str = "chophien.local") -> None:
        self._send = send
        self.message_id_domain = message_id_domain

    def __repr__(self) -> str:
        return f"EmailChannel(message_id_domain={self.message_id_domain!r})"

    def can_address(self, recipient: Recipient) -> bool:
        return bool(recipient.email and _EMAIL.fullmatch(recipient.email))

    def envelope(self, message: Message) -> EmailEnvelope:
        key = message.channel_key(self.id)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return EmailEnvelope(
            to=message.recipient.email or "",
            subject=message.subject,
            text=message.text,
            html=message.html,
            message_id=f"<{digest}@{self.message_id_domain}>",
            headers={"X-Notification-Kind": message.kind, "Content-Language": message.language},
        )

    def send(self, message: Message) -> DeliveryResult:
        if not self.can_address(message.recipient):
            return DeliveryResult.failed(self.id, DeliveryError.NO_ADDRESS)
        envelope = self.envelope(message)
        try:
            message_id = self._send(envelope)
        except EmailRejected as exc:
            return DeliveryResult.failed(
                self.id, DeliveryError.RECIPIENT_UNREACHABLE, retryable=not exc.permanent, detail=str(exc)
            )
        except smtplib.SMTPRecipientsRefused:
            return DeliveryResult.failed(self.id, DeliveryError.RECIPIENT_UNREACHABLE, detail="recipient refused")
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            return DeliveryResult.failed(
                self.id,
                DeliveryError.RECIPIENT_UNREACHABLE if permanent else DeliveryError.PROVIDER_UNAVAILABLE,
                retryable=not permanent,
                provider_code=str(exc.smtp_code),
            )
        except OSError as exc:
            return DeliveryResult.failed(
                self.id, DeliveryError.PROVIDER_UNAVAILABLE, retryable=True, detail=type(exc).__name__
            )
        return DeliveryResult.sent(self.id, message_id or envelope.message_id)

    def parse_receipt(self, request: InboundRequest) -> DeliveryReceipt | None:
        raise ReceiptNotSupported("e-mail has no delivery receipts here")

    def receipt_reply(self, *, accepted: bool) -> HttpResponse:
        return HttpResponse(status=404)
