"""bookingNoShow: the operator records that nobody of a booking came."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import bookings
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_booking
from storefront_api.experiences.types import BookingPayload, booking_views


class BookingNoShow(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        output = BookingPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        bookings.booking_no_show(booking=load_booking(arguments["id"]), actor=user)
        return {"booking": booking_views([load_booking(arguments["id"])])[0]}
