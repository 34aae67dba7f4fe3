"""checkoutBookingAdd: hold places in an experience slot (2 adults + 1 child…)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.checkout import services
from storefront_api.checkout.common import CheckoutView, load_checkout
from storefront_api.checkout.inputs import ParticipantInput, participant_inputs
from storefront_api.checkout.types import CheckoutPayload
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation


class CheckoutBookingAdd(BaseMutation):
    """The places are held for the checkout's reservation time, like stock; SLOT_FULL when fewer
    places are left than asked. Adding the same slot again adds people."""

    class Arguments:
        id = graphene.ID(required=True)
        slot = graphene.ID(required=True)
        participants = graphene.List(graphene.NonNull(ParticipantInput), required=True)

    class Meta:
        output = CheckoutPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        checkout = load_checkout(info, arguments["id"])
        checkout = services.checkout_booking_add(
            checkout=checkout,
            slot_id=decode_id(arguments["slot"], type_name="Slot", field="slot"),
            participants=participant_inputs(arguments["participants"]),
        )
        return {"checkout": CheckoutView.of(checkout)}
