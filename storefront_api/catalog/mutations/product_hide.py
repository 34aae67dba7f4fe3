"""productHide: a province admin takes a listing away from buyers at once."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog.listing import product_row
from backend.moderation.reports import product_hide
from storefront_api.catalog.inputs import product_by_id
from storefront_api.catalog.types import ProductPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductHide(BaseMutation):
    """Hide a product from every listing, search and product page for buyers.

    Province admins of the seller's commune only; the reason is audited and
    open reports about the product are closed as actioned.
    """

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        output = ProductPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = product_hide(actor=user, product=product_by_id(arguments["id"]), reason=arguments["reason"])
        return {"product": product_row(product.pk)}
