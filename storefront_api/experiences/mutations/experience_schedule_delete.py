"""experienceScheduleDelete: stop a weekly schedule (slots nobody booked disappear)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_schedule
from storefront_api.experiences.types import SchedulePayload


class ExperienceScheduleDelete(BaseMutation):
    """Booked future slots stay; cancel them with slotCancel (buyers are refunded)."""

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        output = SchedulePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        services.schedule_delete(schedule=load_schedule(arguments["id"]), actor=user)
        return {"schedule": None}
