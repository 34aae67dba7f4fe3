"""tokenCreate: sign in with e-mail and password, get JWT access + refresh tokens."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import services
from backend.core.net import client_ip
from storefront_api.accounts.types import TokenCreatePayload
from storefront_api.core.mutations import BaseMutation


class TokenCreate(BaseMutation):
    """Sign in. Too many failed attempts for an e-mail or from an address give THROTTLED."""

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    class Meta:
        output = TokenCreatePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        pair = services.token_create(
            email=arguments["email"], password=arguments["password"], ip=client_ip(info.context)
        )
        return {"token": pair.access, "refresh_token": pair.refresh, "user": pair.user}
