"""Builders for the tax tests: household and cooperative shops, paid orders and bookings."""

from __future__ import annotations

from typing import Any

from django.test import Client

from backend.checkout.delivery import ensure_default_methods
from backend.orders.models import LedgerEntry, Order, SellerOrder
from backend.sellers.models import SellerKind
from backend.tax.models import TaxLine
from tests.checkout.helpers import OWN, Shop
from tests.factories import SellerFactory, VariantFactory, add_staff
from tests.orders.payment_helpers import sandbox_notify, send
from tests.orders.test_orders_api import place_order


def make_shop_of(kind: str = SellerKind.HOUSEHOLD, *, price: int = 123_457, name: str | None = None) -> Shop:
    from backend.catalog.services import refresh_product_pricing

    seller = SellerFactory(kind=kind, **({"name": name} if name else {}))
    ensure_default_methods(seller=seller)
    staff = add_staff(seller)
    variant = VariantFactory(product__seller=seller, price=price, stock=50)
    refresh_product_pricing(variant.product)
    return Shop(seller=seller, staff=staff, variant=variant)


def pay_online(client: Client, shop: Shop, *, quantity: int = 2, kind: str = OWN) -> SellerOrder:
    """An order of `quantity` × the shop's variant, paid through the sandbox gateway's signed
    notification (HTTP), like a buyer paying online."""
    order: Order = place_order([shop], gateway="sandbox", kind=kind, quantity=quantity)
    response = send(client, sandbox_notify(f"{order.number}P1", order.total))
    assert response.status_code == 200, response.content
    return order.seller_orders.get()


def ledger_of(seller_order: SellerOrder) -> dict[str, int]:
    totals: dict[str, int] = {}
    for kind, amount in LedgerEntry.objects.filter(seller_order=seller_order).values_list("kind", "amount"):
        totals[kind] = totals.get(kind, 0) + amount
    return totals


def tax_rows(seller_order: SellerOrder) -> list[tuple[Any, ...]]:
    return list(
        TaxLine.objects.filter(seller_order=seller_order)
        .order_by("id")
        .values_list("mode", "category", "revenue", "vat", "pit", "refund_id")
    )
