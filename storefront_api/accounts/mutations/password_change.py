"""passwordChange: change the signed-in user's password."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import services
from storefront_api.accounts.types import PasswordChangePayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class PasswordChange(BaseMutation):
    """Change the password. Every token issued before is revoked; use the new ones returned."""

    class Arguments:
        old_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    class Meta:
        output = PasswordChangePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = services.password_change(
            user=require_user(info),
            old_password=arguments["old_password"],
            new_password=arguments["new_password"],
        )
        pair = services.issue_tokens(user=user)
        return {"user": user, "token": pair.access, "refresh_token": pair.refresh}
