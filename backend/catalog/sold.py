""" "Đã bán": units delivered over the last 12 months, a counter on products and sellers."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from backend.catalog.models import Product
from backend.sellers.models import Seller


def units_sold_add(*, seller_id: int, lines: Iterable[tuple[int | None, int]]) -> None:
    """Add a delivery's (product id, quantity) lines to "đã bán" of the products and their seller,
    in the delivery's transaction (lines without a product, bookings, are skipped); the reviews
    app's daily recount (`backend.reviews.counters.recount_sold`) drops what leaves the 12 months."""
    units_by_product: dict[int, int] = {}
    for product_id, quantity in lines:
        if product_id is not None and quantity > 0:
            units_by_product[product_id] = units_by_product.get(product_id, 0) + quantity
    for pk, units in units_by_product.items():
        Product.objects.filter(pk=pk).update(sold_12m=F("sold_12m") + units)
    if units_by_product:
        Seller.objects.filter(pk=seller_id).update(sold_12m=F("sold_12m") + sum(units_by_product.values()))
