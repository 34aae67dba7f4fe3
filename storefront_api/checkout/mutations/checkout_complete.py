"""checkoutComplete: turn the cart into an order (once) and start its payment."""

from __future__ import annotations

from typing import Any

import graphene

from backend.core.net import client_ip
from backend.orders import services
from storefront_api.checkout.common import load_checkout
from storefront_api.core.auth import current_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.orders.types import CheckoutCompletePayload


class CheckoutComplete(BaseMutation):
    """Place the order. Submitting again returns the same order. `payment.action` says what the
    buyer does next: nothing (cash on delivery), follow a URL, scan a QR code or confirm a card."""

    class Arguments:
        id = graphene.ID(required=True)
        gateway = graphene.String(required=True, description="One of Checkout.availableGateways.")
        return_url = graphene.String(description="Where the gateway sends the buyer back.")

    class Meta:
        output = CheckoutCompletePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        result = services.checkout_complete(
            checkout=checkout,
            gateway_id=(arguments["gateway"] or "").strip(),
            user=current_user(info),
            return_url=arguments.get("return_url") or "",
            client_ip=client_ip(info.context) or "127.0.0.1",
        )
        return {"order": result.order, "payment": result.payment}
