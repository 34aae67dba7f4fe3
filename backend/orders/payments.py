"""Payments of orders through the adapters in `payments/`: starting a payment, applying verified
gateway notifications (once), and refunds.

Rules (../shared/reference/payments.md §7): the raw message is logged first; the signature is
checked (by the adapter, in constant time) before anything is read; merchant, reference, amount and
currency must match the stored payment; a state changes at most once, under a row lock, and a
replay gets the gateway's "already confirmed" answer. Only server-to-server messages change state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed
from backend.core.gateways import configured_gateway, is_cash, online_gateway_ids
from backend.core.redirects import checked_return_url
from backend.moderation.services import audit_record
from backend.orders.errors import GatewayUnavailable as GatewayNotOffered
from backend.orders.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    SellerOrderStatus,
)
from backend.orders.refunds import (  # noqa: F401  (their home before the split; callers import them here)
    RefundPending,
    _refund_duplicate,
    order_refund,
    process_refund,
    refund_seller_order,
)
from backend.orders.seller_orders import confirm_paid_seller_orders
from payments.base import (
    Gateway,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)

logger = logging.getLogger(__name__)


def _order_return_url(order: Order) -> str:
    return f"{settings.PUBLIC_URL}/orders/{order.token}"


def start_payment(*, payment: Payment, client_ip: str = "127.0.0.1") -> Payment:
    """Ask the gateway how the buyer pays (redirect, QR, client secret or nothing) and keep it."""
    order = payment.order
    gateway = configured_gateway(payment.gateway)
    if gateway is None:
        _fail_start(payment, "gateway not configured")
        return payment
    return_url = payment.return_url or (
        f"{settings.PUBLIC_URL}{gateway.return_path}" if gateway.return_path else _order_return_url(order)
    )
    request = PaymentRequest(
        reference=payment.reference,
        amount=payment.amount,
        description=f"Thanh toan don hang {order.number}",
        return_url=return_url,
        notify_url=f"{settings.PUBLIC_URL}{gateway.notify_path or ''}",
        client_ip=client_ip or "127.0.0.1",
        created_at_epoch=payment.created_at.timestamp(),
    )
    try:
        action = gateway.start(request)
    except (GatewayUnavailable, OSError, ValueError) as exc:
        logger.warning("payment start failed", extra={"payment": payment.reference, "gateway": payment.gateway})
        _fail_start(payment, str(exc))
        return payment
    payment.action_kind = action.kind.value
    payment.action_url = action.url or ""
    payment.qr_payload = action.qr_payload or ""
    payment.client_secret = action.client_secret or ""
    if action.gateway_reference:
        payment.gateway_transaction_id = action.gateway_reference
    payment.save(
        update_fields=[
            "action_kind",
            "action_url",
            "qr_payload",
            "client_secret",
            "gateway_transaction_id",
            "updated_at",
        ]
    )
    return payment


def _fail_start(payment: Payment, message: str) -> None:
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(status=PaymentStatus.FAILED)
        Order.objects.filter(pk=payment.order_id, payment_status=PaymentStatus.PENDING).update(
            payment_status=PaymentStatus.FAILED
        )
    payment.refresh_from_db()


# --- notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundMessage:
    gateway_id: str
    method: str
    path: str
    query: Mapping[str, str]
    body: bytes
    headers: Mapping[str, str]
    source_ip: str | None


def _find_payment(gateway: Gateway, notification: Notification) -> Payment | None:
    reference = gateway.payment_reference(notification)
    return Payment.objects.filter(gateway=gateway.id, reference__iexact=reference).first()


def _log(message: InboundMessage) -> PaymentEvent:
    """Keep the message verbatim before anything else (committed even if handling fails)."""
    return PaymentEvent.objects.create(
        gateway=message.gateway_id,
        source_ip=message.source_ip,
        method=message.method[:8],
        path=message.path[:255],
        query=urlencode(list(message.query.items())),
        headers={k: v for k, v in message.headers.items() if k.lower() not in {"cookie", "authorization"}},
        body=message.body.decode("utf-8", errors="replace"),
    )


def handle_notification(message: InboundMessage) -> NotificationReply | None:
    """Verify and apply one gateway notification; the reply the gateway expects. None when the
    gateway is not configured here (the endpoint answers 404)."""
    gateway = configured_gateway(message.gateway_id)
    if gateway is None:
        return None
    event = _log(message)
    outcome, payment, transaction_id = _process(gateway, message)
    PaymentEvent.objects.filter(pk=event.pk).update(
        verified=outcome is not ReplyOutcome.BAD_SIGNATURE,
        outcome=outcome.value,
        payment=payment,
        reference=(payment.reference if payment else "")[:64],
        gateway_transaction_id=transaction_id[:100],
    )
    if outcome in (ReplyOutcome.BAD_SIGNATURE, ReplyOutcome.NOT_FOUND, ReplyOutcome.AMOUNT_MISMATCH):
        logger.warning(
            "payment notification rejected: %s", outcome.value, extra={"gateway": gateway.id, "event": event.pk}
        )
    return gateway.reply(outcome)


def _process(gateway: Gateway, message: InboundMessage) -> tuple[ReplyOutcome, Payment | None, str]:
    request = HttpLikeRequest(method=message.method, query=message.query, body=message.body, headers=message.headers)
    try:
        notification = gateway.parse_notification(request)
    except InvalidSignature:
        return ReplyOutcome.BAD_SIGNATURE, None, ""
    except (ValueError, KeyError, GatewayUnavailable):
        return ReplyOutcome.ERROR, None, ""
    payment = _find_payment(gateway, notification)
    if payment is None:
        return ReplyOutcome.NOT_FOUND, None, notification.gateway_transaction_id
    expected = gateway.merchant_id
    if notification.merchant_id and expected and notification.merchant_id != expected:
        return ReplyOutcome.NOT_FOUND, payment, notification.gateway_transaction_id
    if notification.status is NotificationStatus.PENDING:
        return ReplyOutcome.OK, payment, notification.gateway_transaction_id  # nothing final to check or apply
    if notification.amount != payment.amount or (notification.currency or "VND").upper() != payment.currency:
        return ReplyOutcome.AMOUNT_MISMATCH, payment, notification.gateway_transaction_id
    try:
        outcome = apply_notification(payment=payment, notification=notification)
    except Exception:
        logger.exception("applying a payment notification failed", extra={"payment": payment.reference})
        return ReplyOutcome.ERROR, payment, notification.gateway_transaction_id
    return outcome, payment, notification.gateway_transaction_id


@transaction.atomic
def apply_notification(*, payment: Payment, notification: Notification) -> ReplyOutcome:
    """Apply a verified, matching notification at most once (row lock on the payment)."""
    locked = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    if notification.status not in (NotificationStatus.PAID, NotificationStatus.FAILED):
        # Nothing final yet (e.g. VNPay 07 under review: fail closed), or a refund event that the
        # refund records already account for.
        return ReplyOutcome.OK
    if locked.status != PaymentStatus.PENDING:
        return ReplyOutcome.ALREADY_CONFIRMED
    order = Order.objects.select_for_update().get(pk=locked.order_id)
    now = timezone.now()
    others = order.payments.exclude(pk=locked.pk)
    if notification.status is NotificationStatus.PAID:
        locked.status = PaymentStatus.PAID
        locked.captured_amount = notification.amount
        locked.gateway_transaction_id = notification.gateway_transaction_id[:100]
        locked.paid_at = now
        locked.save(update_fields=["status", "captured_amount", "gateway_transaction_id", "paid_at", "updated_at"])
        if others.filter(captured_amount__gt=0).exists():
            # An earlier attempt was paid already: this money is a duplicate and goes straight back.
            _refund_duplicate(locked)
        else:
            order.payment_status = PaymentStatus.PAID
            order.save(update_fields=["payment_status", "updated_at"])
            confirm_paid_seller_orders(order)
            # Parts cancelled before the money arrived are refunded at once.
            for cancelled in order.seller_orders.filter(status=SellerOrderStatus.CANCELLED):
                cancelled.order = order
                refund_seller_order(seller_order=cancelled, amount=None, reason="cancelled before payment", actor=None)
    else:
        locked.status = PaymentStatus.FAILED
        locked.gateway_transaction_id = notification.gateway_transaction_id[:100]
        locked.save(update_fields=["status", "gateway_transaction_id", "updated_at"])
        if not others.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]).exists():
            order.payment_status = PaymentStatus.FAILED
            order.save(update_fields=["payment_status", "updated_at"])
    audit_record(
        actor=None,
        action=f"payment.{notification.status.value.lower()}",
        target=locked,
        reason=f"{locked.gateway} {notification.gateway_transaction_id}",
        status_before=PaymentStatus.PENDING,
        status_after=locked.status,
    )
    return ReplyOutcome.OK


def payment_retry(*, order: Order, gateway_id: str, return_url: str = "", client_ip: str = "127.0.0.1") -> Payment:
    """A new payment attempt (new reference) for an order whose online payment failed or was abandoned.
    `return_url` must be on this site or an allowed front end (FRONTEND_URLS)."""
    return_url = checked_return_url(return_url)
    if gateway_id not in online_gateway_ids():
        raise GatewayNotOffered(field="gateway")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if is_cash(locked.gateway) or locked.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise ValidationFailed(_("This order does not need paying."), field="id")
        if locked.status == OrderStatus.CANCELLED:
            raise ValidationFailed(_("This order has been cancelled."), field="id")
        attempt = locked.payments.count() + 1
        payment = Payment.objects.create(
            order=locked,
            gateway=gateway_id,
            reference=f"{locked.number}P{attempt}",
            amount=locked.total,
            status=PaymentStatus.PENDING,
            return_url=return_url[:500],
        )
        locked.gateway = gateway_id
        locked.payment_status = PaymentStatus.PENDING
        locked.save(update_fields=["gateway", "payment_status", "updated_at"])
    return start_payment(payment=payment, client_ip=client_ip)
