"""The notification channel interface. Pure Python: nothing here (or in any channel) imports Django
or `backend/`. The backend renders a `Message` (per recipient, in the recipient's language), asks
the planner which channels to try, hands the message to a channel and stores the `DeliveryResult`.

Nothing in this package produces user-facing text: failures carry a `DeliveryError` code that the
backend translates, and a `detail` for operators' logs that never holds a secret or an OTP."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from adapter_http import HttpResponse


class Medium(StrEnum):
    """What a channel is, whatever provider carries it; preferences and the fallback order use these."""

    ZALO = "zalo"
    SMS = "sms"
    EMAIL = "email"


class AddressKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"  # E.164, e.g. +84912345678


class DeliveryError(StrEnum):
    """Why a send failed, in words the backend can translate and act on."""

    NO_ADDRESS = "NO_ADDRESS"  # the recipient has no address this channel can use
    RECIPIENT_INVALID = "RECIPIENT_INVALID"  # the address is malformed or not a Vietnamese mobile
    RECIPIENT_UNREACHABLE = "RECIPIENT_UNREACHABLE"  # no Zalo account, blocked ZNS, number blocked, mailbox refused
    TEMPLATE_NOT_CONFIGURED = "TEMPLATE_NOT_CONFIGURED"  # no ZNS template id for this message kind
    TEMPLATE_REJECTED = "TEMPLATE_REJECTED"  # template unknown, not approved, or not allowed for this OA
    TEMPLATE_DATA_INVALID = "TEMPLATE_DATA_INVALID"  # a template parameter is missing or refused
    CONTENT_REJECTED = "CONTENT_REJECTED"  # text refused (e.g. not matching the registered SMS template)
    MESSAGE_TOO_LONG = "MESSAGE_TOO_LONG"  # more SMS segments than allowed
    AUTH_FAILED = "AUTH_FAILED"  # credentials, account, sender, app, OA or token refused; IP not whitelisted
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"  # daily or monthly sending quota used up
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"  # the prepaid account is empty
    RATE_LIMITED = "RATE_LIMITED"
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"  # no answer, a 5xx, or the provider's own "try later"
    PROVIDER_ERROR = "PROVIDER_ERROR"  # an answer we do not know how to read


# Problems with the channel itself rather than with one message: the backend may stop trying the channel
# for a while instead of failing every message on it, and should alert an operator.
CHANNEL_WIDE_ERRORS = frozenset(
    {DeliveryError.AUTH_FAILED, DeliveryError.QUOTA_EXCEEDED, DeliveryError.INSUFFICIENT_BALANCE}
)
# Configuration an operator must fix (the channel still works for other message kinds).
OPERATOR_ERRORS = CHANNEL_WIDE_ERRORS | {
    DeliveryError.TEMPLATE_NOT_CONFIGURED,
    DeliveryError.TEMPLATE_REJECTED,
    DeliveryError.TEMPLATE_DATA_INVALID,
    DeliveryError.CONTENT_REJECTED,
}


@dataclass(frozen=True)
class Recipient:
    """Where one person can be reached. Channels pick the address they can use."""

    email: str | None = None
    phone: str | None = None  # E.164 (normalised by the backend with `phonenumbers`)
    name: str = ""


_SAFE_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,48}")


@dataclass(frozen=True)
class Message:
    """One rendered notification for one recipient.

    `idempotency_key` is unique per (event, recipient), e.g. `order.placed:CP2611ABC:user:42`; each channel
    sends it to its provider as `channel_key(channel_id)` so a retried send is recognised as a duplicate
    where the provider supports that (eSMS `RequestId`, ZNS `tracking_id`)."""

    kind: str  # e.g. "order.placed", "otp"
    recipient: Recipient
    idempotency_key: str
    language: str = "vi"
    subject: str = ""  # e-mail subject
    text: str = ""  # e-mail plain-text body
    html: str | None = None  # e-mail HTML body
    short_text: str = ""  # SMS text (with diacritics; the SMS channel folds it when it sends non-Unicode)
    params: Mapping[str, str] = field(default_factory=dict)  # named template parameters (ZNS)

    def __post_init__(self) -> None:
        if not self.kind or not self.idempotency_key:
            raise ValueError("a message needs a kind and an idempotency key")

    def channel_key(self, channel_id: str) -> str:
        """The key sent to the provider: `<key>:<channel>` when that is short and plain, else a stable
        digest of it (providers limit length and characters; e.g. ZNS tracking_id to 48)."""
        key = f"{self.idempotency_key}:{channel_id}"
        if _SAFE_KEY.fullmatch(key):
            return key
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def __repr__(self) -> str:  # never the text: it may hold an OTP
        return f"Message(kind={self.kind!r}, idempotency_key={self.idempotency_key!r}, language={self.language!r})"


@dataclass(frozen=True)
class DeliveryResult:
    """What one send did. `ok` means the provider accepted the message (not that the phone showed it)."""

    ok: bool
    channel_id: str
    provider_message_id: str | None = None
    error: DeliveryError | None = None
    retryable: bool = False  # the same channel may succeed later (network, 5xx, rate limit)
    fallback: bool = True  # another channel may succeed where this one failed
    provider_code: str = ""  # the provider's own code, for operators
    detail: str = ""  # for operators' logs; never secrets, never message text
    duplicate: bool = False  # the provider already had this idempotency key: sent earlier
    retry_after_seconds: int | None = None
    info: Mapping[str, str] = field(default_factory=dict)  # e.g. SMS segments, remaining ZNS quota

    @classmethod
    def sent(
        cls,
        channel_id: str,
        provider_message_id: str | None,
        *,
        duplicate: bool = False,
        provider_code: str = "",
        info: Mapping[str, str] | None = None,
    ) -> DeliveryResult:
        return cls(
            ok=True,
            channel_id=channel_id,
            provider_message_id=provider_message_id,
            duplicate=duplicate,
            provider_code=provider_code,
            info=dict(info or {}),
        )

    @classmethod
    def failed(
        cls,
        channel_id: str,
        error: DeliveryError,
        *,
        retryable: bool = False,
        fallback: bool = True,
        provider_code: str = "",
        detail: str = "",
        retry_after_seconds: int | None = None,
    ) -> DeliveryResult:
        return cls(
            ok=False,
            channel_id=channel_id,
            error=error,
            retryable=retryable,
            fallback=fallback,
            provider_code=provider_code,
            detail=detail,
            retry_after_seconds=retry_after_seconds,
        )

    @property
    def channel_problem(self) -> bool:
        return self.error in CHANNEL_WIDE_ERRORS

    @property
    def needs_operator(self) -> bool:
        return self.error in OPERATOR_ERRORS


class ReceiptStatus(StrEnum):
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"
    PENDING = "PENDING"


@dataclass(frozen=True)
class DeliveryReceipt:
    """A provider's verified report about a message it accepted earlier."""

    channel_id: str
    provider_message_id: str
    status: ReceiptStatus
    at: datetime | None = None
    idempotency_key: str | None = None  # our channel key when the provider echoes it
    error: DeliveryError | None = None
    provider_code: str = ""


@dataclass(frozen=True)
class InboundRequest:
    """The parts of a provider's callback a channel may read (the backend copies them from Django's request)."""

    method: str
    path: str = ""
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), "")


class ReceiptNotSupported(Exception):
    """This channel (or its configuration) has no delivery receipts."""


class InvalidReceipt(Exception):
    """The callback is forged or damaged: never read its contents."""


class Channel(Protocol):
    id: str  # unique in a registry: "esms", "zalo_zns", "email", "sandbox_sms"…
    name: str
    medium: Medium
    address_kind: AddressKind

    def can_address(self, recipient: Recipient) -> bool:
        """Whether the recipient has an address this channel can send to (no network)."""
        ...

    def send(self, message: Message) -> DeliveryResult:
        """Send once. Never raises for a provider or network failure: the result says what happened."""
        ...

    def parse_receipt(self, request: InboundRequest) -> DeliveryReceipt | None:
        """Verify and read a delivery callback; None for a verified event that is not a receipt.
        Raises InvalidReceipt (forged) or ReceiptNotSupported."""
        ...

    def receipt_reply(self, *, accepted: bool) -> HttpResponse:
        """What to answer the provider's callback."""
        ...
