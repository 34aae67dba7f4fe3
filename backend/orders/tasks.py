"""Order notifications (e-mail now, SMS-ready text) and refunds, delivered by the outbox (retried
on any failure, so SMTP and gateway errors are not lost), and periodic order and payment jobs."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task
from django.conf import settings

from backend.core.text import format_dong
from backend.orders import cod, polling, refunds, seller_orders
from backend.orders.models import Order
from backend.outbox.registry import handler

logger = logging.getLogger(__name__)


def sms_text(order: Order) -> str:
    """The short message a buyer gets by SMS (≤ 160 characters, no diacritics needed by carriers)."""
    amount = format_dong(order.total).replace(" đ", "d")
    return f"Cho Phien: don {order.number} {amount}. Xem: {settings.PUBLIC_URL}/orders/{order.token}"[:160]


@handler("orders.order_placed")
def notify_order_placed(order_id: int) -> int:
    """Tell the buyer (order summary and status link) and each seller (its new part)."""
    from backend.orders.notices import order_placed

    return order_placed(order_id=order_id)


@handler("orders.seller_order_status")
def notify_seller_order_status(seller_order_id: int) -> int:
    from backend.orders.notices import seller_order_status

    return seller_order_status(seller_order_id=seller_order_id)


@handler("orders.refund")
def process_refund(refund_id: int) -> str:
    """Ask the gateway; once it accepted, the buyer is told (once: the notification is per refund)."""
    from backend.orders.notices import refund_issued

    refund = refunds.process_refund(refund_id=refund_id)
    refund_issued(refund_id=refund.pk)
    return refund.status


@shared_task(name="orders.cancel_unpaid_orders")
def cancel_unpaid_orders() -> int:
    return seller_orders.cancel_unpaid_orders()


@shared_task(name="orders.mark_payout_eligible")
def mark_payout_eligible() -> int:
    return cod.mark_payout_eligible()


@shared_task(name="orders.poll_pending_payments")
def poll_pending_payments() -> dict[str, int]:
    """Ask VNPay / ZaloPay about payments still pending after PAYMENT_POLL_AFTER_MINUTES."""
    return asdict(polling.poll_pending_payments())
