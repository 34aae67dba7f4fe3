"""experienceBlackoutAdd: no slots on a day (refused while slots that day have bookings)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_product
from storefront_api.experiences.types import BlackoutDatePayload


class ExperienceBlackoutAdd(BaseMutation):
    class Arguments:
        product = graphene.ID(required=True)
        date = graphene.Date(required=True)
        reason = graphene.String()

    class Meta:
        output = BlackoutDatePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        blackout = services.blackout_add(
            product=load_product(arguments["product"]),
            actor=user,
            day=arguments["date"],
            reason=arguments.get("reason") or "",
        )
        return {"blackout_date": blackout}
