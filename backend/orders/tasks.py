"""Order notifications (e-mail now, SMS-ready text) and refunds, delivered by the outbox (retried
on any failure, so SMTP and gateway errors are not lost), and periodic order and payment jobs."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.text import format_dong
from backend.orders import cod, polling, refunds, seller_orders
from backend.orders.models import Order, SellerOrder, SellerOrderStatus
from backend.outbox.registry import handler

logger = logging.getLogger(__name__)


def sms_text(order: Order) -> str:
    """The short message a buyer gets by SMS (≤ 160 characters, no diacritics needed by carriers)."""
    amount = format_dong(order.total).replace(" đ", "d")
    return f"Cho Phien: don {order.number} {amount}. Xem: {settings.PUBLIC_URL}/orders/{order.token}"[:160]


@handler("orders.order_placed")
def notify_order_placed(order_id: int) -> int:
    """Tell the buyer (order summary and status link) and each seller (its new part)."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return 0
    sent = 0
    language = getattr(order.user, "preferred_language", "") or settings.LANGUAGE_CODE
    if order.email:
        with translation.override(language):
            body = _("Thank you! Your order %(number)s (%(total)s) has been received.\nFollow it here: %(url)s") % {
                "number": order.number,
                "total": format_dong(order.total),
                "url": f"{settings.PUBLIC_URL}/orders/{order.token}",
            }
            sent += send_mail(_("Order %(number)s received") % {"number": order.number}, body, None, [order.email])
    for seller_order in order.seller_orders.select_related("seller"):
        recipients = [m.user.email for m in seller_order.seller.memberships.select_related("user") if m.user.email]
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = _("New order %(number)s: %(total)s. Confirm it in the seller portal.") % {
                "number": order.number,
                "total": format_dong(seller_order.total),
            }
            sent += send_mail(_("New order %(number)s") % {"number": order.number}, body, None, recipients)
    logger.info("order placed notifications", extra={"order": order.number, "sms": sms_text(order)})
    return sent


@handler("orders.seller_order_status")
def notify_seller_order_status(seller_order_id: int) -> int:
    seller_order = SellerOrder.objects.select_related("order", "seller").filter(pk=seller_order_id).first()
    if seller_order is None or not seller_order.order.email:
        return 0
    order = seller_order.order
    language = getattr(order.user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        status = SellerOrderStatus(seller_order.status).label
        body = _("%(seller)s: your order %(number)s is now “%(status)s”.") % {
            "seller": seller_order.seller.name,
            "number": order.number,
            "status": status,
        }
        if seller_order.tracking_number:
            body += "\n" + _("Tracking number: %(number)s") % {"number": seller_order.tracking_number}
        if seller_order.cancel_reason and seller_order.status == SellerOrderStatus.CANCELLED:
            body += "\n" + _("Reason: %(reason)s") % {"reason": seller_order.cancel_reason}
        return send_mail(
            _("Order %(number)s: %(status)s") % {"number": order.number, "status": status}, body, None, [order.email]
        )


@handler("orders.refund")
def process_refund(refund_id: int) -> str:
    return refunds.process_refund(refund_id=refund_id).status


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
