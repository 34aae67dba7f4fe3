"""Ask the gateways about payments still pending after a while (reference §7.11: VNPay querydr,
ZaloPay /v2/query; for ZaloPay this polling is required). A definite answer goes through
`apply_notification`, the same idempotent path as an IPN; anything unclear changes nothing."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from backend.orders.models import Payment, PaymentEvent, PaymentStatus
from backend.orders.payments import apply_notification, configured_gateway
from payments.base import GatewayUnavailable, InvalidSignature, Notification, NotificationStatus, ReplyOutcome
from payments.signing import format_vietnam_time
from payments.vnpay import VNPayGateway
from payments.zalopay import ZaloPayGateway, app_trans_id_for

logger = logging.getLogger(__name__)

POLLED_GATEWAYS = ("vnpay", "zalopay")
BATCH_SIZE = 200


@dataclass
class PollSummary:
    checked: int = 0  # payments asked about
    applied: int = 0  # definite answers that changed a payment
    errors: int = 0  # network or protocol errors (skipped, retried next run)


def _vnpay_query(gateway: VNPayGateway, payment: Payment) -> Notification | None:
    """querydr: only a signed answer for this terminal and reference is trusted."""
    answer = gateway.querydr(
        reference=payment.reference, transaction_date=format_vietnam_time(payment.created_at.timestamp())
    )
    if not answer.get("vnp_SecureHash"):
        raise InvalidSignature("VNPay querydr answer is not signed")
    if str(answer.get("vnp_ResponseCode", "")) != "00":
        return None  # 91: no such transaction (yet), or a query error: nothing is known
    if str(answer.get("vnp_TmnCode", "")) != gateway.tmn_code or str(answer.get("vnp_TxnRef", "")) != payment.reference:
        raise ValueError("VNPay querydr answer is about another transaction")
    transaction_status = str(answer.get("vnp_TransactionStatus", ""))
    status = {"00": NotificationStatus.PAID, "02": NotificationStatus.FAILED}.get(transaction_status)
    if status is None:
        return None  # 01 unfinished, 05 processing, 07 suspicious: fail closed
    amount, cents = divmod(int(str(answer.get("vnp_Amount", "0"))), 100)
    if cents:
        raise ValueError("VNPay querydr amount is not a whole number of dong")
    return Notification(
        reference=payment.reference,
        amount=amount,
        status=status,
        gateway_transaction_id=str(answer.get("vnp_TransactionNo", "") or ""),
        merchant_id=gateway.tmn_code,
        raw=answer,
    )


def _zalopay_query(gateway: ZaloPayGateway, payment: Payment) -> Notification | None:
    app_trans_id = payment.gateway_transaction_id or app_trans_id_for(
        payment.reference, int(payment.created_at.timestamp() * 1000)
    )
    notification = gateway.query(app_trans_id)
    if notification.status is NotificationStatus.PENDING:
        return None
    if notification.reference != payment.reference:
        raise ValueError("ZaloPay query answer is about another transaction")
    return notification


_QUERIES: dict[str, Callable[[Any, Payment], Notification | None]] = {
    "vnpay": _vnpay_query,
    "zalopay": _zalopay_query,
}
_EXPECTED_TYPES: dict[str, type] = {"vnpay": VNPayGateway, "zalopay": ZaloPayGateway}


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


def poll_pending_payments(now: datetime | None = None, *, gateways: Mapping[str, Any] | None = None) -> PollSummary:
    """Query the gateway about every payment PENDING for longer than PAYMENT_POLL_AFTER_MINUTES.

    `gateways` (gateway id -> adapter) replaces the configured adapters, for tests."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES)
    summary = PollSummary()
    adapters: dict[str, Any] = {}
    for gateway_id in POLLED_GATEWAYS:
        adapter = gateways.get(gateway_id) if gateways is not None else configured_gateway(gateway_id)
        if isinstance(adapter, _EXPECTED_TYPES[gateway_id]):
            adapters[gateway_id] = adapter
    if not adapters:
        return summary
    pending = Payment.objects.filter(
        gateway__in=list(adapters), status=PaymentStatus.PENDING, created_at__lte=cutoff
    ).order_by("created_at", "id")[:BATCH_SIZE]
    for payment in pending:
        summary.checked += 1
        try:
            notification = _QUERIES[payment.gateway](adapters[payment.gateway], payment)
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
