"""Loading seller orders for the order mutations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.orders.models import SellerOrder as SellerOrderModel
from storefront_api.core.ids import decode_id


def load_seller_order(value: str, *, field: str = "id") -> SellerOrderModel:
    """The seller order of a global ID (the services check who may act on it), or NOT_FOUND."""
    pk = decode_id(value, type_name="SellerOrder", field=field)
    seller_order = SellerOrderModel.objects.select_related("order", "seller__commune__province").filter(pk=pk).first()
    if seller_order is None:
        raise NotFound(_("This order does not exist."), field=field)
    return seller_order


def reloaded(seller_order: SellerOrderModel) -> SellerOrderModel:
    """The seller order as a payload shows it (fresh, with its order, seller and lines)."""
    return (
        SellerOrderModel.objects.select_related("order__commune__province", "seller__commune__province")
        .prefetch_related("lines")
        .get(pk=seller_order.pk)
    )
