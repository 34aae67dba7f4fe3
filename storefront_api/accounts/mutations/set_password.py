"""setPassword: choose a new password with the token of a reset link."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import recovery, services
from backend.core.net import client_ip
from storefront_api.accounts.types import SetPasswordPayload
from storefront_api.core.mutations import BaseMutation


class SetPassword(BaseMutation):
    """The token works once and expires. Every session and token issued before ends; the answer
    signs the account in with a new pair."""

    class Arguments:
        token = graphene.String(required=True, description="From the link in the reset e-mail.")
        password = graphene.String(required=True)

    class Meta:
        output = SetPasswordPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = recovery.set_password(
            token=arguments["token"], password=arguments["password"], ip=client_ip(info.context)
        )
        pair = services.issue_tokens(user=user)
        return {"user": user, "token": pair.access, "refresh_token": pair.refresh}
