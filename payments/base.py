"""The payment gateway interface. Pure Python: nothing here (or in any adapter)
imports Django or `backend/`; the checkout app hands adapters plain values
and stores what they return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class ActionKind(StrEnum):
    NONE = "NONE"  # cash on delivery, manual transfer confirmation
    REDIRECT = "REDIRECT"  # send the buyer to `url`
    QR = "QR"  # show `qr_payload` (EMVCo) for the buyer's banking app
    CLIENT_SECRET = "CLIENT_SECRET"  # Stripe Elements confirms with `client_secret`


class NotificationStatus(StrEnum):
    PAID = "PAID"
    FAILED = "FAILED"
    PENDING = "PENDING"
    REFUNDED = "REFUNDED"


@dataclass(frozen=True)
class PaymentRequest:
    """What the shop asks a gateway to collect."""

    reference: str  # our unique payment reference (order number + attempt), sent to the gateway
    amount: int  # whole đồng
    description: str  # shown to the buyer; adapters strip diacritics where the gateway needs it
    return_url: str  # browser return page (display only)
    notify_url: str  # server-to-server notification URL
    client_ip: str = "127.0.0.1"
    locale: str = "vn"
    created_at_epoch: float | None = None  # for deterministic tests; now when None


@dataclass(frozen=True)
class PaymentAction:
    kind: ActionKind
    url: str | None = None
    qr_payload: str | None = None
    client_secret: str | None = None
    gateway_reference: str | None = None  # the gateway's own id when it gives one at start


@dataclass(frozen=True)
class HttpLikeRequest:
    """The parts of an incoming notification an adapter may read."""

    method: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """A verified gateway notification (signature already checked)."""

    reference: str
    amount: int  # whole đồng
    status: NotificationStatus
    gateway_transaction_id: str
    merchant_id: str | None = None
    currency: str = "VND"
    raw: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class NotificationReply:
    """What to answer the gateway (status code, content type, body)."""

    status: int
    body: bytes
    content_type: str = "application/json"


class ReplyOutcome(StrEnum):
    """Why we answer what we answer, in the gateway's own codes (e.g. VNPay 00/01/02/04/97/99)."""

    OK = "OK"
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"
    NOT_FOUND = "NOT_FOUND"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    ERROR = "ERROR"


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    gateway_reference: str | None = None
    manual: bool = False  # the gateway cannot refund: record a manual refund task
    message: str = ""


class InvalidSignature(Exception):
    """The notification is forged or damaged: never read its contents."""


class GatewayUnavailable(Exception):
    """The gateway is not configured or cannot be reached."""


def gettext_noop(message: str) -> str:
    """Marks a display label for translation (`makemessages` finds it); the web translates it with
    Django's gettext at render time. Pure Python: returns the English text unchanged."""
    return message


class Gateway(Protocol):
    """Everything the shop needs to know about one gateway; callers never special-case a gateway id."""

    id: str
    name: str  # the gateway's own name, as the API lists it
    label: str  # display label (English msgid, translated by the web)
    supports_refund: bool
    supports_query: bool  # `query_status` asks the gateway (pending payments are polled)
    is_cash: bool  # cash on delivery: no online step, the seller or the platform records the money
    debug_only: bool  # offered only in DEBUG (the dev sandbox)
    notify_path: str | None  # the contract's server-to-server notification path, None when nothing calls back
    notify_method: str  # the HTTP method of that notification
    return_path: str | None  # a browser return page of our own (display only), else the order page

    @property
    def merchant_id(self) -> str | None:
        """Our merchant/terminal/account id at this gateway: a notification naming another is refused."""
        ...

    def start(self, payment: PaymentRequest) -> PaymentAction: ...

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        """Verify the signature in constant time (InvalidSignature), then parse."""
        ...

    def payment_reference(self, notification: Notification) -> str:
        """The stored payment reference a verified notification is about (compared case-insensitively)."""
        ...

    def reply(self, outcome: ReplyOutcome) -> NotificationReply: ...

    def query_status(
        self, *, reference: str, gateway_transaction_id: str, created_at_epoch: float
    ) -> Notification | None:
        """Ask the gateway about one payment: a definite answer (PAID/FAILED) or None when nothing is known.
        Raises InvalidSignature/ValueError for an answer about something else, OSError/GatewayUnavailable."""
        ...

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        """Give back `amount` of `total`; `created_at_epoch` is when the payment was created (some
        gateways need the original transaction date)."""
        ...


class GatewayDefaults:
    """What most gateways share; an adapter inherits it and overrides what differs."""

    id: str
    name: str
    label: str = ""
    supports_query: bool = False
    is_cash: bool = False
    debug_only: bool = False
    notify_path: str | None = None
    notify_method: str = "POST"
    return_path: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Gateway | None:
        """The gateway built from its own settings, None when they are incomplete."""
        raise NotImplementedError

    @property
    def merchant_id(self) -> str | None:
        return None

    def payment_reference(self, notification: Notification) -> str:
        return notification.reference

    def query_status(
        self, *, reference: str, gateway_transaction_id: str, created_at_epoch: float
    ) -> Notification | None:
        raise GatewayUnavailable("this gateway has no status query")
