"""Read side of orders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from backend.core.gateways import is_cash
from backend.orders.models import (
    COD_SELLER_EVENTS,
    COD_TRANSITIONS,
    SELLER_ORDER_TRANSITIONS,
    CodStatus,
    LedgerEntry,
    Order,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
)


def orders_by_token(token: str) -> QuerySet[Order]:
    """The order whose unguessable token is `token` (none for anything that is not a UUID)."""
    try:
        key = uuid.UUID((token or "").strip())
    except ValueError:
        return Order.objects.none()
    return Order.objects.filter(token=key)


def order_page_by_token(token: str) -> Order | None:
    """The order of `token` with what its status page shows (seller orders, lines, refunds, payments):
    6 queries."""
    return (
        orders_by_token(token)
        .select_related("commune__province")
        .prefetch_related("seller_orders__seller", "seller_orders__lines", "seller_orders__refunds", "payments")
        .first()
    )


def seller_order_queue(*, seller_id: int, status: str | None = None) -> QuerySet[SellerOrder]:
    """A seller's orders, newest first, with the order, its commune and the lines loaded."""
    queue = SellerOrder.objects.filter(seller_id=seller_id)
    if status:
        queue = queue.filter(status=status)
    return (
        queue.select_related("order__commune__province", "seller")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def seller_order_of(*, seller_id: int, pk: int) -> SellerOrder | None:
    """One of the seller's orders (None when it belongs to another seller)."""
    return seller_order_queue(seller_id=seller_id).filter(pk=pk).first()


def ledger_entries_of(*, seller_id: int) -> QuerySet[LedgerEntry]:
    """A seller's ledger, newest first."""
    return LedgerEntry.objects.filter(seller_id=seller_id).select_related("seller_order").order_by("-created_at", "-id")


# --- the buyer's side: "my orders", the timeline of each seller order, the look-up by number ---------


class OrderTab:
    """The buyer's tabs of their orders."""

    ALL = "all"
    TO_CONFIRM = "to-confirm"
    SHIPPING = "shipping"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    ORDER = (ALL, TO_CONFIRM, SHIPPING, DELIVERED, CANCELLED)


def _tab_q(tab: str) -> Q:
    # A part is delivered once its delivery is recorded (cash collected, or the seller marks it).
    undelivered = Exists(
        SellerOrder.objects.filter(order=OuterRef("pk"), delivered_at__isnull=True).exclude(
            status=SellerOrderStatus.CANCELLED
        )
    )
    return {
        OrderTab.TO_CONFIRM: Q(status=OrderStatus.UNCONFIRMED),
        OrderTab.SHIPPING: Q(status__in=[OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_FULFILLED])
        | (Q(status=OrderStatus.FULFILLED) & Q(undelivered)),
        OrderTab.DELIVERED: Q(status=OrderStatus.FULFILLED) & ~Q(undelivered),
        OrderTab.CANCELLED: Q(status=OrderStatus.CANCELLED),
    }.get(tab, Q())


def buyer_orders(*, user: Any, tab: str = OrderTab.ALL) -> QuerySet[Order]:
    """A signed-in buyer's orders in one tab, newest first, with what the list shows (the seller
    orders, their lines, refunds and the payments): a fixed number of queries per page."""
    if not getattr(user, "is_authenticated", False):
        return Order.objects.none()
    return (
        Order.objects.filter(user=user)
        .filter(_tab_q(tab))
        .prefetch_related("seller_orders__seller", "seller_orders__lines", "seller_orders__refunds", "payments")
        .order_by("-created_at", "-id")
    )


def buyer_order_counts(*, user: Any) -> dict[str, int]:
    """How many orders each tab holds (one query)."""
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(OrderTab.ORDER, 0)
    figures = Order.objects.filter(user=user).aggregate(
        **{tab: Count("id", filter=_tab_q(tab)) for tab in OrderTab.ORDER}
    )
    return {tab: int(figures[tab] or 0) for tab in OrderTab.ORDER}


class Step:
    """What happened to a seller order, in the order a buyer follows it."""

    PLACED = "placed"
    PAID = "paid"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COD_COLLECTED = "cod_collected"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class TimelineStep:
    code: str  # a `Step`
    at: datetime | None  # None: still to come
    detail: str = ""  # tracking number, cancel reason
    amount: int | None = None  # cash collected, money refunded

    @property
    def done(self) -> bool:
        return self.at is not None


COLLECTED_STATES = (CodStatus.COLLECTED, CodStatus.REMITTED, CodStatus.SETTLED)


def seller_order_timeline(seller_order: SellerOrder, *, paid_at: datetime | None = None) -> list[TimelineStep]:
    """The steps a seller order went through, then those still to come (from the loaded rows only:
    `refunds` should be prefetched)."""
    done = [TimelineStep(Step.PLACED, seller_order.created_at)]
    if paid_at is not None:
        done.append(TimelineStep(Step.PAID, paid_at))
    if seller_order.confirmed_at:
        done.append(TimelineStep(Step.CONFIRMED, seller_order.confirmed_at))
    if seller_order.fulfilled_at:
        done.append(TimelineStep(Step.SHIPPED, seller_order.fulfilled_at, detail=seller_order.tracking_number))
    if seller_order.delivered_at:
        done.append(TimelineStep(Step.DELIVERED, seller_order.delivered_at))
        if seller_order.cod_status in COLLECTED_STATES:
            amount = seller_order.cod_collected_amount
            done.append(TimelineStep(Step.COD_COLLECTED, seller_order.delivered_at, amount=amount))
    if seller_order.cancelled_at:
        done.append(TimelineStep(Step.CANCELLED, seller_order.cancelled_at, detail=seller_order.cancel_reason))
    for refund in seller_order.refunds.all():
        done.append(TimelineStep(Step.REFUNDED, refund.created_at, detail=refund.status, amount=refund.amount))
    done.sort(key=lambda step: step.at or seller_order.created_at)
    if seller_order.status == SellerOrderStatus.CANCELLED:
        return done
    reached = {step.code for step in done}
    coming = [Step.CONFIRMED]
    if seller_order.delivery_kind:  # goods to deliver (places in a slot are not shipped)
        coming += [Step.SHIPPED, Step.DELIVERED]
        if seller_order.cod_status:
            coming.append(Step.COD_COLLECTED)
    return done + [TimelineStep(code, None) for code in coming if code not in reached]


def order_paid_at(order: Order) -> datetime | None:
    """When an online payment of the order was captured (from prefetched payments)."""
    if is_cash(order.gateway):
        return None
    paid = [p.paid_at for p in order.payments.all() if p.paid_at is not None]
    return min(paid) if paid else None


# --- the seller's side: which acts a seller order allows now ------------------------------------------


@dataclass(frozen=True)
class SellerOrderActions:
    confirm: bool
    fulfil: bool
    cancel: bool
    delivered: bool
    cod_events: list[str]  # CodStatus values the seller may record next


def seller_order_actions(seller_order: SellerOrder) -> SellerOrderActions:
    """The next valid acts for the order's state and delivery kind (the services check them again)."""
    status = seller_order.status
    carrier = seller_order.delivery_kind == "CARRIER"
    cod_events: list[str] = []
    if seller_order.cod_status:
        following = COD_TRANSITIONS.get(seller_order.cod_status, set())
        cod_events = [
            state.value
            for state in CodStatus
            if state in following and state in COD_SELLER_EVENTS and not (carrier and state == CodStatus.COLLECTED)
        ]
    # Cash on delivery moves to "in transit" when the order is handed over, so it is offered only
    # once the goods have left (never on a new order).
    if status != SellerOrderStatus.FULFILLED:
        cod_events = [event for event in cod_events if event != CodStatus.IN_TRANSIT]
    return SellerOrderActions(
        confirm=SellerOrderStatus.CONFIRMED in SELLER_ORDER_TRANSITIONS.get(status, set()),
        fulfil=SellerOrderStatus.FULFILLED in SELLER_ORDER_TRANSITIONS.get(status, set()),
        cancel=SellerOrderStatus.CANCELLED in SELLER_ORDER_TRANSITIONS.get(status, set()),
        # Cash on delivery records the delivery with the cash (a carrier's cash is the platform's to record).
        delivered=status == SellerOrderStatus.FULFILLED
        and seller_order.delivered_at is None
        and (not seller_order.cod_status or carrier),
        cod_events=cod_events,
    )
