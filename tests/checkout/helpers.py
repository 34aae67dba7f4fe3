"""Shared builders for checkout and order tests: a seller with delivery methods and stock."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import User
from backend.catalog.models import ProductVariant
from backend.checkout.delivery import ensure_default_methods
from backend.checkout.models import DeliveryKind, DeliveryMethod
from backend.sellers.models import Seller
from tests.factories import SellerFactory, VariantFactory, add_staff, commune

# Phường Xuân Hương - Đà Lạt (another commune of the same province as the default Lâm Viên).
OTHER_DA_LAT_COMMUNE = "24781"


@dataclass
class Shop:
    seller: Seller
    staff: User
    variant: ProductVariant

    def method(self, kind: str) -> DeliveryMethod:
        return DeliveryMethod.objects.get(seller=self.seller, kind=kind)


def make_shop(
    *, price: int = 120_000, stock: int = 10, name: str | None = None, commune_code: str | None = None
) -> Shop:
    seller = SellerFactory(
        **({"name": name} if name else {}), **({"commune": commune(commune_code)} if commune_code else {})
    )
    ensure_default_methods(seller=seller)
    staff = add_staff(seller)
    variant = VariantFactory(product__seller=seller, price=price, stock=stock)
    from backend.catalog.services import refresh_product_pricing

    refresh_product_pricing(variant.product)
    return Shop(seller=seller, staff=staff, variant=variant)


PICKUP = DeliveryKind.PICKUP
OWN = DeliveryKind.OWN_DELIVERY
CARRIER = DeliveryKind.CARRIER
