"""The seller-order and cash-on-delivery transitions and what every change does after them (save,
derived order status, audit, the buyer's e-mail), plus giving stock back. Shared by the state
machine (`seller_orders`), cash on delivery (`cod`) and refunds (`refunds`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog.services import stock_return
from backend.core.errors import InvalidTransition
from backend.experiences.bookings import release_bookings
from backend.moderation.services import audit_record
from backend.orders.models import (
    COD_TRANSITIONS,
    SELLER_ORDER_TRANSITIONS,
    CodStatus,
    Order,
    OrderLine,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.outbox.services import enqueue
from backend.sellers.permissions import seller_place


def derive_order_status(statuses: list[str]) -> str:
    live = [s for s in statuses if s != SellerOrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    fulfilled = sum(1 for s in live if s == SellerOrderStatus.FULFILLED)
    if fulfilled == len(live):
        return OrderStatus.FULFILLED
    if fulfilled:
        return OrderStatus.PARTIALLY_FULFILLED
    if all(s == SellerOrderStatus.CONFIRMED for s in live):
        return OrderStatus.CONFIRMED
    return OrderStatus.UNCONFIRMED


def refresh_order_status(order: Order) -> Order:
    status = derive_order_status(list(order.seller_orders.values_list("status", flat=True)))
    if status != order.status:
        order.status = status
        order.save(update_fields=["status", "updated_at"])
    return order


def locked_seller_order(seller_order: SellerOrder, actor: Any, act: Act = Act.SELLER_ORDER_HANDLE) -> SellerOrder:
    ensure_may(actor=actor, act=act, place=seller_place(seller_order.seller))
    return SellerOrder.objects.select_for_update().select_related("order", "seller").get(pk=seller_order.pk)


def move(seller_order: SellerOrder, status: str) -> str:
    before = seller_order.status
    if status not in SELLER_ORDER_TRANSITIONS.get(before, set()):
        raise InvalidTransition(
            _("This order cannot go from “%(before)s” to “%(after)s”.")
            % {"before": SellerOrderStatus(before).label, "after": SellerOrderStatus(status).label}
        )
    seller_order.status = status
    return before


def move_cod(seller_order: SellerOrder, status: str) -> str:
    before = seller_order.cod_status
    if status not in COD_TRANSITIONS.get(before, set()):
        raise InvalidTransition(
            _("Cash on delivery cannot go from “%(before)s” to “%(after)s”.")
            % {"before": CodStatus(before).label if before else "-", "after": CodStatus(status).label}
        )
    seller_order.cod_status = status
    return before


def after_change(
    seller_order: SellerOrder, *, actor: Any, action: str, before: str, reason: str = "", notify: bool = True
) -> None:
    seller_order.save()
    refresh_order_status(seller_order.order)
    audit_record(
        actor=actor,
        action=action,
        target=seller_order,
        reason=reason,
        status_before=before,
        status_after=seller_order.status,
    )
    if notify:
        pk = seller_order.pk
        notify_status(pk)


def notify_status(seller_order_id: int) -> None:
    """The buyer's status e-mail, as an outbox item written in the deciding transaction."""
    key = f"orders.seller_order_status:{seller_order_id}:{uuid.uuid4().hex}"
    enqueue(kind="orders.seller_order_status", key=key, payload={"seller_order_id": seller_order_id})


def restock(seller_order: SellerOrder) -> None:
    """Give the seller order's goods back to the catalog (once per line) and its places back."""
    lines = list(seller_order.lines.select_for_update().filter(restocked=False, variant__isnull=False))
    stock_return(quantities=[(line.variant_id, line.quantity) for line in lines if line.variant_id is not None])
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(restocked=True)
    release_bookings(seller_order=seller_order)
