"""checkoutContactUpdate: who the bookings are for (a checkout of bookings needs no address)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.mutations import BaseMutation


class CheckoutContactUpdate(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        full_name = graphene.String(required=True)
        phone = graphene.String(required=True, description="A Vietnamese number; stored as E.164.")
        email = graphene.String(description="Where the tickets are sent.")

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = services.checkout_contact_update(
            checkout=load_checkout(info, arguments["id"]),
            full_name=arguments["full_name"],
            phone=arguments["phone"],
            email=arguments.get("email"),
        )
        return {"checkout": CheckoutView.of(checkout)}
