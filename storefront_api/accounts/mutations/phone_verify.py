"""phoneVerify: prove a phone for the signed-in account."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import phone_auth
from backend.core.net import client_ip
from storefront_api.accounts.types import PhoneVerifyPayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation


class PhoneVerify(BaseMutation):
    """With a code from otpRequest(purpose: VERIFY_PHONE). PHONE_TAKEN when another account proved it."""

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)

    class Meta:
        output = PhoneVerifyPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = phone_auth.phone_verify(
            user=require_user(info), phone=arguments["phone"], code=arguments["code"], ip=client_ip(info.context)
        )
        return {"user": user}
