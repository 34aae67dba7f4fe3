"""checkoutShippingAddressUpdate: where the goods go (a pre-2025 address is converted first)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.inputs import AddressInput, address_data
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.mutations import BaseMutation


class CheckoutShippingAddressUpdate(BaseMutation):
    """Set the address; delivery choices that cannot reach the new commune are dropped."""

    class Arguments:
        id = graphene.ID(required=True)
        address = AddressInput(required=True)

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        checkout = services.checkout_shipping_address_update(
            checkout=checkout, address=address_data(arguments["address"])
        )
        return {"checkout": CheckoutView.of(checkout)}
