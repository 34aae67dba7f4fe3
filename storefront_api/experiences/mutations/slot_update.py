"""slotUpdate: override one slot's number of places."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from backend.experiences.selectors import slot_views
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_slot
from storefront_api.experiences.types import SlotPayload


class SlotUpdate(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)
        capacity = graphene.Int(required=True)

    class Meta:
        output = SlotPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        slot = services.slot_update(slot=load_slot(arguments["id"]), actor=user, capacity=arguments["capacity"])
        return {"slot": slot_views([slot])[0]}
