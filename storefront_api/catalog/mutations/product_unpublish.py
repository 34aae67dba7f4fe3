"""productUnpublish: take a product off sale; its staff still see it."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import product_row
from storefront_api.catalog.inputs import product_by_id
from storefront_api.catalog.types import ProductPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductUnpublish(BaseMutation):
    """Take a product off sale; its staff still see it."""

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        output = ProductPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = services.product_unpublish(product=product_by_id(arguments["id"]), actor=user)
        return {"product": product_row(product.pk)}
