"""setPasswordWithOtp: choose a new password with a code sent to the account's verified phone."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import phone_auth
from backend.core.net import client_ip
from storefront_api.accounts.types import SetPasswordPayload
from storefront_api.core.mutations import BaseMutation


class SetPasswordWithOtp(BaseMutation):
    """With a code from requestPasswordReset(phone:) or otpRequest(purpose: PASSWORD_RESET). Every token
    issued before is revoked; the answer signs the account in with a new pair."""

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)
        password = graphene.String(required=True)

    class Meta:
        output = SetPasswordPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        pair = phone_auth.set_password_with_otp(
            phone=arguments["phone"],
            code=arguments["code"],
            password=arguments["password"],
            ip=client_ip(info.context),
        )
        return {"user": pair.user, "token": pair.access, "refresh_token": pair.refresh}
