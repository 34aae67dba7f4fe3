"""bookingCancel: the buyer cancels; the cancellation policy decides the refund."""

from __future__ import annotations

from typing import Any

import graphene

from backend.orders import bookings
from storefront_api.core.auth import current_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_booking
from storefront_api.experiences.types import BookingPayload, booking_views


class BookingCancel(BaseMutation):
    """The buyer signed in, or anyone holding the order's token (`orderToken`)."""

    class Arguments:
        id = graphene.ID(required=True)
        order_token = graphene.String(description="The order's token, for a buyer without an account.")
        reason = graphene.String()

    class Meta:
        output = BookingPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        result = bookings.booking_cancel(
            booking=load_booking(arguments["id"]),
            actor=current_user(info),
            order_token=arguments.get("order_token"),
            reason=arguments.get("reason") or "",
        )
        booking = load_booking(arguments["id"])
        return {
            "booking": booking_views([booking])[0],
            "refund_percent": result.refund_percent,
            "refund_amount": result.refund_amount,
        }
