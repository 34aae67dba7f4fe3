"""productVariantCreate: add a priced, stocked variant to a product."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import variant_rows
from storefront_api.catalog.inputs import ProductVariantInput, product_by_id, variant_data
from storefront_api.catalog.types import ProductVariantPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductVariantCreate(BaseMutation):
    """Add a variant (pack size, grade, ticket type…). SKUs are unique per seller."""

    class Arguments:
        product = graphene.ID(required=True)
        input = ProductVariantInput(required=True)

    class Meta:
        output = ProductVariantPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = product_by_id(arguments["product"], field="product")
        variant = services.variant_create(product=product, actor=user, data=variant_data(arguments["input"]))
        return {"variant": variant_rows([variant])[0]}
