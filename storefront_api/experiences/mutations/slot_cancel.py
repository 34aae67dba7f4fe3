"""slotCancel: the operator calls a slot off; every booking is refunded in full and told."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences.selectors import slot_views
from backend.orders import bookings
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_slot
from storefront_api.experiences.types import SlotPayload


class SlotCancel(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Told to the buyers.")

    class Meta:
        output = SlotPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        slot = bookings.slot_cancel(slot=load_slot(arguments["id"]), actor=user, reason=arguments["reason"])
        return {"slot": slot_views([slot])[0]}
