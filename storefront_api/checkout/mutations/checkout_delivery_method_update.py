"""checkoutDeliveryMethodUpdate: choose how one seller's part of the cart is delivered."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation


class CheckoutDeliveryMethodUpdate(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        seller = graphene.ID(required=True)
        method = graphene.ID(required=True)

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        checkout = services.checkout_delivery_method_update(
            checkout=checkout,
            seller_id=decode_id(arguments["seller"], type_name="Seller", field="seller"),
            method_id=decode_id(arguments["method"], type_name="DeliveryMethod", field="method"),
        )
        return {"checkout": CheckoutView.of(checkout)}
