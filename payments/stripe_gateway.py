"""Stripe PaymentIntents for VND (reference §6): cards and wallets for foreign tourists.

VND is zero-decimal: ``amount`` is whole đồng. API calls go through an injected
``stripe.StripeClient`` (tests give it a fake ``http_client``); webhooks are
verified with stripe's own ``WebhookSignature.verify_header`` over the raw body,
plus a ±300 s timestamp window on an injectable clock.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Self

import stripe

from payments.base import (
    ActionKind,
    GatewayDefaults,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    NotificationStatus,
    PaymentAction,
    PaymentRequest,
    RefundResult,
    ReplyOutcome,
    gettext_noop,
)

TOLERANCE_SECONDS = 300


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = {name.lower(), "http_" + name.lower().replace("-", "_")}
    for key, value in headers.items():
        if key.lower() in wanted:
            return value
    return None


def _timestamp_of(header: str) -> int:
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            return int(value)
    raise ValueError("no t= in Stripe-Signature")


class StripeGateway(GatewayDefaults):
    id = "stripe"
    name = "Stripe"
    label = gettext_noop("Card")
    supports_refund = True
    notify_path: str | None = "/payments/stripe/webhook"

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        client: stripe.StripeClient | None = None,
        clock: Callable[[], float] = time.time,
        tolerance: int = TOLERANCE_SECONDS,
    ) -> None:
        if not (secret_key and webhook_secret):
            raise ValueError("Stripe secret key / webhook secret are empty")
        self._client = client or stripe.StripeClient(secret_key)
        self._webhook_secret = webhook_secret
        self._clock = clock
        self.tolerance = tolerance

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self | None:
        secret_key = environ.get("STRIPE_SECRET_KEY", "").strip()
        webhook_secret = environ.get("STRIPE_WEBHOOK_SECRET", "").strip()
        if not (secret_key and webhook_secret):
            return None
        return cls(secret_key=secret_key, webhook_secret=webhook_secret)

    def start(self, payment: PaymentRequest) -> PaymentAction:
        if payment.amount <= 0:
            raise ValueError("amount must be positive")
        try:
            intent = self._client.v1.payment_intents.create(
                params={
                    "amount": payment.amount,  # zero-decimal currency: whole đồng, no x100
                    "currency": "vnd",
                    "description": payment.description[:1000],
                    "metadata": {"reference": payment.reference},
                    "automatic_payment_methods": {"enabled": True},
                },
                options={"idempotency_key": f"pi-{payment.reference}"},
            )
        except stripe.StripeError as exc:
            raise GatewayUnavailable(f"Stripe PaymentIntent creation failed: {exc}") from exc
        if not intent.client_secret:
            raise GatewayUnavailable("Stripe returned a PaymentIntent without client_secret")
        return PaymentAction(
            kind=ActionKind.CLIENT_SECRET, client_secret=intent.client_secret, gateway_reference=intent.id
        )

    # -- webhook ------------------------------------------------------------

    def verify_event(self, body: bytes, signature_header: str | None) -> dict[str, Any]:
        """Verify ``Stripe-Signature`` over the raw body and the ±tolerance window; return the event dict."""
        if not signature_header:
            raise InvalidSignature("missing Stripe-Signature header")
        try:
            payload = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidSignature("body is not UTF-8") from exc
        try:
            # tolerance=None: stripe only checks the past side and on the wall clock; we check both below.
            stripe.WebhookSignature.verify_header(payload, signature_header, self._webhook_secret, tolerance=None)
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature(f"Stripe signature: {exc}") from exc
        timestamp = _timestamp_of(signature_header)
        if abs(self._clock() - timestamp) > self.tolerance:
            raise InvalidSignature(f"Stripe signature timestamp {timestamp} outside ±{self.tolerance}s")
        try:
            event = json.loads(payload)
        except ValueError as exc:
            raise InvalidSignature("signed body is not JSON") from exc
        if not isinstance(event, dict):
            raise InvalidSignature("signed body is not a JSON object")
        return event

    def parse_notification(self, request: HttpLikeRequest) -> Notification:
        """payment_intent.succeeded → PAID, payment_intent.payment_failed → FAILED, charge.refunded → REFUNDED.

        ``gateway_transaction_id`` is the PaymentIntent id throughout (what :meth:`refund` needs); the event
        id (Stripe's dedup key) is ``raw["id"]``. Any other event type gives PENDING (no state change).
        """
        event = self.verify_event(request.body, _header(request.headers, "Stripe-Signature"))
        event_type = str(event.get("type", ""))
        data = event.get("data")
        obj: dict[str, Any] = data.get("object", {}) if isinstance(data, dict) else {}
        if not isinstance(obj, dict):
            obj = {}
        metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        reference = str((metadata or {}).get("reference", ""))
        currency = str(obj.get("currency", "vnd")).upper()

        if event_type in ("payment_intent.succeeded", "payment_intent.payment_failed"):
            paid = event_type == "payment_intent.succeeded"
            amount = obj.get("amount_received") if paid else obj.get("amount")
            if not isinstance(amount, int) or (paid and amount == 0):
                amount = obj.get("amount")
            return Notification(
                reference=reference,
                amount=int(amount) if isinstance(amount, int) else 0,
                status=NotificationStatus.PAID if paid else NotificationStatus.FAILED,
                gateway_transaction_id=str(obj.get("id", "")),
                currency=currency,
                raw=event,
            )
        if event_type == "charge.refunded":
            refunded = obj.get("amount_refunded")
            return Notification(
                reference=reference,
                amount=refunded if isinstance(refunded, int) else 0,
                status=NotificationStatus.REFUNDED,
                gateway_transaction_id=str(obj.get("payment_intent") or obj.get("id", "")),
                currency=currency,
                raw=event,
            )
        return Notification(
            reference=reference,
            amount=0,
            status=NotificationStatus.PENDING,
            gateway_transaction_id=str(obj.get("id", "")),
            currency=currency,
            raw=event,
        )

    def reply(self, outcome: ReplyOutcome) -> NotificationReply:
        if outcome is ReplyOutcome.BAD_SIGNATURE:
            return NotificationReply(status=400, body=b'{"received": false}')
        if outcome is ReplyOutcome.ERROR:
            return NotificationReply(status=500, body=b'{"received": false}')  # Stripe retries
        return NotificationReply(status=200, body=b'{"received": true}')

    # -- refund -------------------------------------------------------------

    def refund(
        self,
        *,
        reference: str,
        gateway_transaction_id: str,
        amount: int,
        total: int,
        created_at_epoch: float | None = None,
    ) -> RefundResult:
        """Refund ``amount`` đồng of PaymentIntent ``gateway_transaction_id``."""
        if amount <= 0 or amount > total:
            return RefundResult(ok=False, message=f"refund amount {amount} not within 1..{total}")
        if not gateway_transaction_id.startswith("pi_"):
            return RefundResult(ok=False, message=f"not a PaymentIntent id: {gateway_transaction_id!r}")
        try:
            refund = self._client.v1.refunds.create(
                params={
                    "payment_intent": gateway_transaction_id,
                    "amount": amount,
                    "metadata": {"reference": reference},
                }
            )
        except stripe.StripeError as exc:
            return RefundResult(ok=False, message=f"Stripe refund failed: {exc}")
        ok = refund.status in ("succeeded", "pending", "requires_action")
        return RefundResult(ok=ok, gateway_reference=refund.id, message=str(refund.status or ""))
