"""checkoutCreate: a new cart (anonymous, or the signed-in buyer's) with its first lines."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView
from storefront_api.checkout.inputs import CheckoutLineInput, line_inputs
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.auth import current_user
from storefront_api.core.mutations import BaseMutation


class CheckoutCreate(BaseMutation):
    """Start a cart. Its `id` (and `token`) is the only key to it: keep it on the device."""

    class Arguments:
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
        email = graphene.String()

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = services.checkout_create(
            user=current_user(info), lines=line_inputs(arguments["lines"]), email=arguments.get("email")
        )
        return {"checkout": CheckoutView.of(checkout)}
