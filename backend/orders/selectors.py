"""Read side of orders."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from backend.orders.models import LedgerEntry, Order, SellerOrder


def orders_by_token(token: str) -> QuerySet[Order]:
    """The order whose unguessable token is `token` (none for anything that is not a UUID)."""
    try:
        key = uuid.UUID((token or "").strip())
    except ValueError:
        return Order.objects.none()
    return Order.objects.filter(token=key)


def order_page_by_token(token: str) -> Order | None:
    """The order of `token` with what its status page shows (seller orders, lines, payments): 4 queries."""
    return (
        orders_by_token(token)
        .select_related("commune__province")
        .prefetch_related("seller_orders__seller", "seller_orders__lines", "payments")
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
