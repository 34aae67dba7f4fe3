"""tokenRefresh: trade a refresh token for a new access token."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import services
from storefront_api.accounts.types import TokenRefreshPayload
from storefront_api.core.mutations import BaseMutation


class TokenRefresh(BaseMutation):
    """A new access token; INVALID_TOKEN when the refresh token is expired or revoked."""

    class Arguments:
        refresh_token = graphene.String(required=True)

    class Meta:
        output = TokenRefreshPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        return {"token": services.token_refresh(refresh_token=arguments["refresh_token"])}
