"""checkoutLineDelete: remove one line (its stock hold goes with it)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation


class CheckoutLineDelete(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        line_id = graphene.ID(required=True)

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        line_id = decode_id(arguments["line_id"], type_name="CheckoutLine", field="lineId")
        checkout = services.checkout_line_delete(checkout=checkout, line_id=line_id)
        return {"checkout": CheckoutView.of(checkout)}
