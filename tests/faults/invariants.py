"""What must hold after any fault: nothing lost, nothing doubled."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Sum

from backend.catalog.models import ProductVariant
from backend.notifications.models import Notification, NotificationStatus
from backend.orders.models import LedgerEntry, Order, OrderLine, SellerOrder
from backend.outbox.models import OutboxItem, OutboxStatus


def assert_orders_consistent(*, variant: ProductVariant, initial_stock: int, orders: int) -> None:
    """Each order has its seller order and its line, and took its stock once (one shop, one line each)."""
    assert Order.objects.count() == orders
    assert SellerOrder.objects.count() == orders
    assert OrderLine.objects.count() == orders
    variant.refresh_from_db()
    taken = OrderLine.objects.aggregate(n=Sum("quantity"))["n"] or 0
    assert initial_stock - variant.stock == taken
    # Cash on delivery, nothing collected yet: no money may appear on the sellers' ledger.
    assert not LedgerEntry.objects.exists()


def assert_delivered_once(recipients: list[str], *, buyers: list[str], seller_staff: str, orders: int) -> None:
    """Every outbox item delivered; each buyer heard of its order once (by e-mail, or on Zalo or by SMS
    when a development worker offers its sandbox channels first), the seller once an order."""
    assert not OutboxItem.objects.exclude(status=OutboxStatus.DELIVERED).exists()
    by_phone = Notification.objects.filter(status=NotificationStatus.SENT).exclude(channel_id="email")
    counts = Counter(recipients) + Counter(by_phone.values_list("email", flat=True))
    assert {buyer: counts[buyer] for buyer in buyers} == dict.fromkeys(buyers, 1)
    assert counts[seller_staff] == orders


def no_internal_error(answer: dict[str, Any]) -> bool:
    return not any((e.get("extensions") or {}).get("code") == "INTERNAL_ERROR" for e in answer.get("errors") or [])
