"""Builders for the report tests: orders written straight to the tables with chosen dates, so the
expected figures can be computed by hand."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from backend.accounts.models import ProvinceAdminScope, User
from backend.catalog.models import Product
from backend.orders.models import (
    LedgerEntry,
    LedgerKind,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.regions.models import Commune, Province
from backend.sellers.models import Seller
from tests.factories import UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = count(1)


def local(text: str) -> datetime:
    """'2026-11-02 10:00' in Asia/Ho_Chi_Minh."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def province_admin(province_slug: str = "lam-dong", **extra: Any) -> User:
    user = UserFactory(is_staff=True, **extra)
    ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=province_slug))
    return user


def make_order(
    parts: list[tuple[Seller, list[tuple[Product, int, int]], int]],
    *,
    commune: Commune,
    sold_at: str | None = None,
    refunded: dict[int, int] | None = None,
    cancelled: bool = False,
    gateway: str = "vnpay",
) -> Order:
    """An order with one seller order per (seller, [(product, quantity, unit price)], delivery fee).

    `sold_at` (local time) writes a SALE ledger entry per seller order, as a captured payment or
    collected cash does; `refunded` maps a part's index to the amount refunded on it (REFUND entry).
    """
    refunded = refunded or {}
    seller_orders: list[tuple[SellerOrder, int]] = []
    grand = 0
    order = Order.objects.create(
        number=f"CPTEST{next(_numbers):05d}",
        full_name="Khách",
        phone="+84903123456",
        street="1 Hùng Vương",
        commune=commune,
        status=OrderStatus.CANCELLED if cancelled else OrderStatus.CONFIRMED,
        payment_status=PaymentStatus.PAID if sold_at else PaymentStatus.NOT_CHARGED,
        gateway=gateway,
        subtotal=0,
        delivery_total=0,
        total=0,
    )
    for index, (seller, lines, fee) in enumerate(parts):
        subtotal = sum(q * p for _product, q, p in lines)
        total = subtotal + fee
        grand += total
        seller_order = SellerOrder.objects.create(
            order=order,
            seller=seller,
            status=SellerOrderStatus.CANCELLED if cancelled else SellerOrderStatus.CONFIRMED,
            subtotal=subtotal,
            delivery_fee=fee,
            total=total,
            commission_rate_bp=500,
            commission=subtotal * 5 // 100,
            refunded_amount=refunded.get(index, 0),
        )
        for product, quantity, price in lines:
            variant = product.variants.first()
            OrderLine.objects.create(
                seller_order=seller_order,
                variant=variant,
                product_name=product.name,
                variant_name=variant.name if variant else "",
                sku=variant.sku if variant else "",
                unit_price=price,
                quantity=quantity,
                total=quantity * price,
            )
        seller_orders.append((seller_order, index))
    Order.objects.filter(pk=order.pk).update(subtotal=grand, total=grand)
    if sold_at:
        moment = local(sold_at)
        for seller_order, index in seller_orders:
            sale = LedgerEntry.objects.create(
                seller=seller_order.seller, seller_order=seller_order, kind=LedgerKind.SALE, amount=seller_order.total
            )
            entries = [sale.pk]
            if refunded.get(index):
                refund = LedgerEntry.objects.create(
                    seller=seller_order.seller,
                    seller_order=seller_order,
                    kind=LedgerKind.REFUND,
                    amount=-refunded[index],
                )
                entries.append(refund.pk)
            LedgerEntry.objects.filter(pk__in=entries).update(created_at=moment)
    return order
