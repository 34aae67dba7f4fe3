"""experienceBlackoutRemove: open a blackout day again (its scheduled slots come back)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_blackout
from storefront_api.experiences.types import BlackoutDatePayload


class ExperienceBlackoutRemove(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        output = BlackoutDatePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        services.blackout_remove(blackout=load_blackout(arguments["id"]), actor=user)
        return {"blackout_date": None}
