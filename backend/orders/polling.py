"""Ask the gateways about payments still pending after a while with the adapter's
own `query_status` (reference §7.11: VNPay querydr, ZaloPay /v2/query; for ZaloPay this polling is
required). A definite answer goes through `apply_notification`, the same idempotent path as an
IPN; anything unclear changes nothing."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from backend.core.gateways import configured_gateway
from backend.orders.models import Payment, PaymentEvent, PaymentStatus
from backend.orders.payments import apply_notification
from payments.base import (
    Gateway,
    GatewayUnavailable,
    InvalidSignature,
    Notification,
    NotificationStatus,
    ReplyOutcome,
)
from payments.registry import GATEWAY_CLASSES

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class PollSummary:
    checked: int = 0  # payments asked about
    applied: int = 0  # definite answers that changed a payment
    errors: int = 0  # network or protocol errors (skipped, retried next run)


def _query(gateway: Gateway, payment: Payment) -> Notification | None:
    return gateway.query_status(
        reference=payment.reference,
        gateway_transaction_id=payment.gateway_transaction_id,
        created_at_epoch=payment.created_at.timestamp(),
    )


def _amount_matches(payment: Payment, notification: Notification) -> bool:
    if notification.status is NotificationStatus.FAILED and notification.amount == 0:
        return True  # a failed order's answer may carry no amount
    return notification.amount == payment.amount and (notification.currency or "VND").upper() == payment.currency


def _record(payment: Payment, notification: Notification, outcome: str) -> None:
    """Keep the gateway's answer next to the pushed messages (reconciliation reads both)."""
    PaymentEvent.objects.create(
        gateway=payment.gateway,
        method="QUERY",
        path=f"poll:{payment.gateway}",
        body=json.dumps(dict(notification.raw), ensure_ascii=False, default=str),
        verified=True,
        outcome=outcome,
        reference=payment.reference[:64],
        gateway_transaction_id=notification.gateway_transaction_id[:100],
        payment=payment,
    )


def _polled_ids() -> list[str]:
    """The gateways that can be asked about a payment (the registry knows which)."""
    return [cls.id for cls in GATEWAY_CLASSES if cls.supports_query]


def poll_pending_payments(now: datetime | None = None, *, gateways: Mapping[str, Gateway] | None = None) -> PollSummary:
    """Query the gateway about every payment PENDING for longer than PAYMENT_POLL_AFTER_MINUTES.

    `gateways` (gateway id -> adapter) replaces the configured adapters, for tests."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES)
    summary = PollSummary()
    adapters: dict[str, Gateway] = {}
    for gateway_id in _polled_ids() if gateways is None else list(gateways):
        adapter = gateways.get(gateway_id) if gateways is not None else configured_gateway(gateway_id)
        if adapter is not None and adapter.supports_query and adapter.id == gateway_id:
            adapters[gateway_id] = adapter
    if not adapters:
        return summary
    pending = Payment.objects.filter(
        gateway__in=list(adapters), status=PaymentStatus.PENDING, created_at__lte=cutoff
    ).order_by("created_at", "id")[:BATCH_SIZE]
    for payment in pending:
        summary.checked += 1
        try:
            notification = _query(adapters[payment.gateway], payment)
        except (GatewayUnavailable, InvalidSignature, OSError, ValueError, KeyError):
            summary.errors += 1
            logger.warning(
                "payment status query failed",
                exc_info=True,
                extra={"payment": payment.reference, "gateway": payment.gateway},
            )
            continue
        if notification is None:
            continue
        if not _amount_matches(payment, notification):
            _record(payment, notification, "AMOUNT_MISMATCH")
            logger.warning("payment query amount mismatch", extra={"payment": payment.reference})
            continue
        try:
            outcome = apply_notification(payment=payment, notification=notification)
        except Exception:
            summary.errors += 1
            logger.exception("applying a payment query answer failed", extra={"payment": payment.reference})
            continue
        _record(payment, notification, outcome.value)
        if outcome is ReplyOutcome.OK:
            summary.applied += 1
    return summary
