"""productVariantUpdate: change a variant's SKU, name, price, stock or weight."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import variant_rows
from storefront_api.catalog.inputs import ProductVariantInput, variant_by_id, variant_data
from storefront_api.catalog.types import ProductVariantPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductVariantUpdate(BaseMutation):
    """Replace a variant's details; the product's price range follows."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductVariantInput(required=True)

    class Meta:
        output = ProductVariantPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        variant = variant_by_id(arguments["id"])
        variant = services.variant_update(variant=variant, actor=user, data=variant_data(arguments["input"]))
        return {"variant": variant_rows([variant])[0]}
