"""productUpdate: replace a product's details (staff of its seller only)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import product_row
from storefront_api.catalog.inputs import ProductCreateInput, product_by_id, product_data
from storefront_api.catalog.types import ProductPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductUpdate(BaseMutation):
    """Replace name, description, category, kind, origin and OCOP details. The slug is kept."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductCreateInput(required=True)

    class Meta:
        output = ProductPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = product_by_id(arguments["id"])
        product = services.product_update(product=product, actor=user, data=product_data(arguments["input"]))
        return {"product": product_row(product.pk)}
