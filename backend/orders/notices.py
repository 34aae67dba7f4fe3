"""What orders tell people, as notifications (`backend.notifications`): the buyer on Zalo, SMS or
e-mail, each seller's staff about their part. Called by the orders outbox handlers (the outbox item
was written in the order's transaction); each notification is unique per event and recipient, so a
handler that runs again sends nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.text import format_dong
from backend.notifications.services import To, notify_now
from backend.orders.models import Order, Refund, RefundStatus, SellerOrder, SellerOrderStatus

STATUS_KINDS = {
    SellerOrderStatus.CONFIRMED: "order.confirmed",
    SellerOrderStatus.FULFILLED: "order.shipped",
    SellerOrderStatus.CANCELLED: "order.cancelled",
}


def _buyer(order: Order) -> To:
    """The order's own contact (what the buyer typed at checkout), under the account when there is one."""
    user = order.user
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    phone = (user.phone if user is not None and user.phone_verified else "") or order.phone
    return To(user=user, email=order.email, phone=phone if phone.startswith("+") else "", language=language)


def order_placed(*, order_id: int) -> int:
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None:
        return 0
    url = f"{settings.PUBLIC_URL}/orders/{order.token}"
    sent = notify_now(
        kind="order.placed",
        event_key=f"order:{order.number}:placed",
        recipients=[_buyer(order)],
        params={"number": order.number, "total": format_dong(order.total), "url": url},
    )
    for seller_order in order.seller_orders.select_related("seller").prefetch_related("seller__memberships__user"):
        staff = [m.user for m in seller_order.seller.memberships.all() if m.user.is_active]
        sent += notify_now(
            kind="order.new_for_seller",
            event_key=f"seller_order:{seller_order.pk}:new",
            recipients=staff,
            params={
                "number": order.number,
                "seller": seller_order.seller.name,
                "total": format_dong(seller_order.total),
            },
        )
    return sent


def seller_order_status(*, seller_order_id: int) -> int:
    seller_order = SellerOrder.objects.select_related("order__user", "seller").filter(pk=seller_order_id).first()
    if seller_order is None or seller_order.status not in STATUS_KINDS:
        return 0
    order = seller_order.order
    buyer = _buyer(order)
    with translation.override(buyer.language):
        tracking = _("Tracking number: %(number)s") % {"number": seller_order.tracking_number}
        reason = _("Reason: %(reason)s") % {"reason": seller_order.cancel_reason}
    return notify_now(
        kind=STATUS_KINDS[SellerOrderStatus(seller_order.status)],
        event_key=f"seller_order:{seller_order.pk}:{seller_order.status}",
        recipients=[buyer],
        params={
            "number": order.number,
            "seller": seller_order.seller.name,
            "tracking": tracking if seller_order.tracking_number else "",
            "reason": reason if seller_order.cancel_reason else "",
            "url": f"{settings.PUBLIC_URL}/orders/{order.token}",
        },
    )


def refund_issued(*, refund_id: int) -> int:
    """The gateway accepted a refund: tell the buyer how much comes back for which order."""
    refund = Refund.objects.select_related("payment__order__user").filter(pk=refund_id).first()
    if refund is None or refund.status != RefundStatus.CONFIRMED:
        return 0
    order = refund.payment.order
    return notify_now(
        kind="refund.issued",
        event_key=f"refund:{refund.pk}:issued",
        recipients=[_buyer(order)],
        params={
            "number": order.number,
            "amount": format_dong(refund.amount),
            "url": f"{settings.PUBLIC_URL}/orders/{order.token}",
        },
    )
