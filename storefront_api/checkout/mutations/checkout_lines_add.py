"""checkoutLinesAdd: more units of some variants (a variant already in the cart gets more)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.inputs import CheckoutLineInput, line_inputs
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.mutations import BaseMutation


class CheckoutLinesAdd(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        checkout = services.checkout_lines_add(checkout=checkout, lines=line_inputs(arguments["lines"]))
        return {"checkout": CheckoutView.of(checkout)}
