"""productUnhide: a province admin lets buyers see a hidden product again."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog.listing import product_row
from backend.moderation.reports import product_unhide
from storefront_api.catalog.inputs import product_by_id
from storefront_api.catalog.types import ProductPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class ProductUnhide(BaseMutation):
    """Undo productHide (audited). The product shows again if it is published."""

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    class Meta:
        output = ProductPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = product_unhide(actor=user, product=product_by_id(arguments["id"]), note=arguments.get("note") or "")
        return {"product": product_row(product.pk)}
