"""experienceScheduleCreate: a weekly schedule, expanded into slots for the coming days."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from backend.experiences.models import Slot
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_product
from storefront_api.experiences.inputs import ScheduleInput
from storefront_api.experiences.types import SchedulePayload


class ExperienceScheduleCreate(BaseMutation):
    class Arguments:
        product = graphene.ID(required=True)
        input = ScheduleInput(required=True)

    class Meta:
        output = SchedulePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        data = arguments["input"]
        schedule = services.schedule_create(
            product=load_product(arguments["product"]),
            actor=user,
            weekdays=data.weekdays,
            start_times=data.start_times,
            valid_from=data.valid_from,
            valid_until=data.get("valid_until"),
            capacity=data.get("capacity"),
        )
        return {"schedule": schedule, "slots_created": Slot.objects.filter(schedule=schedule).count()}
