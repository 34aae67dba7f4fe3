"""helperAppoint: a province admin makes an account a commune helper for some communes."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.helpers import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.helpers.types import HelperAppointPayload
from storefront_api.sellers.mutations.common import commune_from_id


class HelperAppoint(BaseMutation):
    """The helper is named by its verified phone (or e-mail); the admin must cover every commune."""

    class Arguments:
        helper = graphene.String(required=True, description="The helper's verified phone or e-mail.")
        communes = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        output = HelperAppointPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        actor = require_user(info)
        communes = [commune_from_id(value, field="communes") for value in arguments["communes"]]
        user = services.helper_candidate(actor=actor, who=arguments["helper"], communes=communes)
        if user is None:
            raise NotFound(_("No account uses this phone or e-mail."), field="helper")
        appointment = services.helper_appoint(actor=actor, user=user, communes=communes)
        return {"communes": [c.name for c in appointment.communes.order_by("name")]}
