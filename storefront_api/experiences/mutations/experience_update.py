"""experienceUpdate: the operator sets an experience's details, participant prices and policy."""

from __future__ import annotations

from typing import Any

import graphene

from backend.experiences import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.experiences.common import load_product
from storefront_api.experiences.inputs import ExperienceInput, experience_data
from storefront_api.experiences.types import ExperiencePayload


class ExperienceUpdate(BaseMutation):
    """Staff of the product's seller only. Participant types, when given, replace the list."""

    class Arguments:
        product = graphene.ID(required=True)
        input = ExperienceInput(required=True)

    class Meta:
        output = ExperiencePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        experience = services.experience_update(
            product=load_product(arguments["product"]), actor=user, data=experience_data(arguments["input"])
        )
        return {"experience": experience}
