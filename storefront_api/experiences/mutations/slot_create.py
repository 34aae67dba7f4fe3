"""slotCreate: a single dated slot outside the weekly schedules."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from backend.experiences.selectors import slot_views
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_product
from storefront_api.experiences.types import SlotPayload


class SlotCreate(BaseMutation):
    class Arguments:
        product = graphene.ID(required=True)
        starts_at = graphene.DateTime(required=True, description="With an offset; a naive time is Asia/Ho_Chi_Minh.")
        capacity = graphene.Int()

    class Meta:
        output = SlotPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        slot = services.slot_create(
            product=load_product(arguments["product"]),
            actor=user,
            starts_at=arguments["starts_at"],
            capacity=arguments.get("capacity"),
        )
        return {"slot": slot_views([slot])[0]}
