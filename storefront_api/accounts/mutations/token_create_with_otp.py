"""tokenCreateWithOtp: sign in with a verified phone and the code sent to it."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import phone_auth
from backend.core.net import client_ip
from storefront_api.accounts.types import TokenCreatePayload
from storefront_api.core.mutations import BaseMutation


class TokenCreateWithOtp(BaseMutation):
    """INVALID_CODE for a wrong, used or expired code; five wrong codes lock the number (THROTTLED).
    NOT_REGISTERED when the code is right but no account uses the number: the code stays valid for
    accountRegisterWithPhone."""

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True, description="The 6 digits from otpRequest(purpose: SIGN_IN).")

    class Meta:
        output = TokenCreatePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        pair = phone_auth.token_create_with_otp(
            phone=arguments["phone"], code=arguments["code"], ip=client_ip(info.context)
        )
        return {"token": pair.access, "refresh_token": pair.refresh, "user": pair.user}
