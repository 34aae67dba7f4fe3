"""productCreate: a new, unpublished product of a seller (its staff only)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import product_row
from storefront_api.catalog.inputs import ProductCreateInput, product_data, seller_by_id
from storefront_api.catalog.types import ProductPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductCreate(BaseMutation):
    """Create a product as a draft; add variants and images, then publish it."""

    class Arguments:
        seller = graphene.ID(required=True)
        input = ProductCreateInput(required=True)

    class Meta:
        output = ProductPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        seller = seller_by_id(arguments["seller"], field="seller")
        product = services.product_create(seller=seller, actor=user, data=product_data(arguments["input"]))
        return {"product": product_row(product.pk)}
