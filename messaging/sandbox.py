"""Offline channels for development and tests (DEBUG only): look-alikes of e-mail, SMS and Zalo that
write every message into a sink the backend injects (it shows them at `/dev/outbox/` and in the log,
so a tester can read an OTP), and a flaky channel that fails a given number of times."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from adapter_http import HttpResponse
from messaging.base import (
    AddressKind,
    Channel,
    DeliveryError,
    DeliveryReceipt,
    DeliveryResult,
    InboundRequest,
    Medium,
    Message,
    ReceiptNotSupported,
    Recipient,
)
from messaging.phones import vietnamese_mobile
from messaging.text import to_gsm7

NAMES = {Medium.EMAIL: "E-mail (sandbox)", Medium.SMS: "SMS (sandbox)", Medium.ZALO: "Zalo (sandbox)"}


@dataclass(frozen=True)
class OutboxEntry:
    channel_id: str
    medium: Medium
    address: str
    kind: str
    language: str
    idempotency_key: str
    subject: str
    text: str  # as the recipient would read it: folded SMS, ZNS parameters one per line
    params: Mapping[str, str] = field(default_factory=dict)
    provider_message_id: str = ""
    at: datetime | None = None


class OutboxSink(Protocol):
    def record(self, entry: OutboxEntry) -> None: ...


class ListSink:
    """An in-memory sink for tests."""

    def __init__(self) -> None:
        self.entries: list[OutboxEntry] = []

    def record(self, entry: OutboxEntry) -> None:
        self.entries.append(entry)

    def latest(self, *, address: str | None = None, kind: str | None = None) -> OutboxEntry | None:
        return next(
            (
                e
                for e in reversed(self.entries)
                if (address is None or e.address == address) and (kind is None or e.kind == kind)
            ),
            None,
        )


class _NoReceipts:
    def parse_receipt(self, request: InboundRequest) -> DeliveryReceipt | None:
        raise ReceiptNotSupported("sandbox channels have no delivery receipts")

    def receipt_reply(self, *, accepted: bool) -> HttpResponse:
        return HttpResponse(status=404)


class SandboxChannel(_NoReceipts):
    def __init__(self, medium: Medium, sink: OutboxSink, *, clock: Callable[[], datetime] | None = None) -> None:
        self.medium = medium
        self.id = f"sandbox_{medium.value}"
        self.name = NAMES[medium]
        self.address_kind = AddressKind.EMAIL if medium is Medium.EMAIL else AddressKind.PHONE
        self.sink = sink
        self._clock = clock or (lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        return f"SandboxChannel(medium={self.medium.value!r})"

    def address(self, recipient: Recipient) -> str | None:
        if self.medium is Medium.EMAIL:
            return recipient.email if recipient.email and "@" in recipient.email else None
        return recipient.phone if vietnamese_mobile(recipient.phone) else None

    def can_address(self, recipient: Recipient) -> bool:
        return self.address(recipient) is not None

    def readable_text(self, message: Message) -> str:
        if self.medium is Medium.EMAIL:
            return message.text
        if self.medium is Medium.SMS:
            return to_gsm7(message.short_text)
        lines = [f"{name}: {value}" for name, value in sorted(message.params.items())]
        return "\n".join([message.short_text, *lines]).strip()

    def send(self, message: Message) -> DeliveryResult:
        address = self.address(message.recipient)
        if address is None:
            return DeliveryResult.failed(self.id, DeliveryError.NO_ADDRESS)
        key = message.channel_key(self.id)
        provider_id = "SBX-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        self.sink.record(
            OutboxEntry(
                channel_id=self.id,
                medium=self.medium,
                address=address,
                kind=message.kind,
                language=message.language,
                idempotency_key=key,
                subject=message.subject,
                text=self.readable_text(message),
                params=dict(message.params),
                provider_message_id=provider_id,
                at=self._clock(),
            )
        )
        return DeliveryResult.sent(self.id, provider_id)


class FlakyChannel(_NoReceipts):
    """Fails its first `failures` sends with `error`, then hands sends to `inner` (or accepts them)."""

    def __init__(
        self,
        medium: Medium,
        *,
        failures: int,
        error: DeliveryError = DeliveryError.PROVIDER_UNAVAILABLE,
        retryable: bool = True,
        inner: Channel | None = None,
        channel_id: str | None = None,
    ) -> None:
        self.medium = medium
        self.id = channel_id or f"flaky_{medium.value}"
        self.name = f"Flaky {medium.value}"
        self.address_kind = AddressKind.EMAIL if medium is Medium.EMAIL else AddressKind.PHONE
        self.failures = failures
        self.error = error
        self.retryable = retryable
        self.inner = inner
        self.sent: list[Message] = []
        self.calls = 0

    def can_address(self, recipient: Recipient) -> bool:
        if self.inner is not None:
            return self.inner.can_address(recipient)
        return bool(recipient.email if self.medium is Medium.EMAIL else recipient.phone)

    def send(self, message: Message) -> DeliveryResult:
        self.calls += 1
        if self.calls <= self.failures:
            return DeliveryResult.failed(self.id, self.error, retryable=self.retryable, provider_code="FAKE")
        self.sent.append(message)
        if self.inner is not None:
            return self.inner.send(message)
        return DeliveryResult.sent(self.id, f"FAKE-{self.calls}")
