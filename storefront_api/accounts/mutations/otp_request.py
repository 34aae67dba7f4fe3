"""otpRequest: send a 6-digit code to a Vietnamese mobile by Zalo or SMS (same answer for every number)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import phone_auth
from backend.core.net import client_ip
from storefront_api.accounts.types import OtpPurpose, OtpRequestPayload
from storefront_api.core.auth import current_user
from storefront_api.core.mutations import BaseMutation


class OtpRequest(BaseMutation):
    """SIGN_IN (sign in or register), PASSWORD_RESET (numbers with a verified account) or VERIFY_PHONE
    (signed in). The answer never tells whether the number has an account. One code a minute per number;
    THROTTLED after too many requests or while the number is locked (five wrong codes)."""

    class Arguments:
        phone = graphene.String(required=True, description="Vietnamese mobile, e.g. 0903 123 456.")
        purpose = OtpPurpose(default_value="SIGN_IN")

    class Meta:
        output = OtpRequestPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        purpose = arguments.get("purpose") or "SIGN_IN"
        result = phone_auth.request_code(
            phone=arguments["phone"],
            purpose=getattr(purpose, "value", purpose),
            ip=client_ip(info.context),
            user=current_user(info),
        )
        return {
            "phone": result.phone,
            "resend_after_seconds": result.resend_after_seconds,
            "expires_in_seconds": result.expires_in_seconds,
        }
