"""accountRegisterWithPhone: create an account from a phone and its code (e-mail and password optional)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import phone_auth
from backend.core.net import client_ip
from storefront_api.accounts.mutations.account_register import _request_language
from storefront_api.accounts.types import AccountRegisterWithPhonePayload
from storefront_api.core.mutations import BaseMutation


class AccountRegisterWithPhoneInput(graphene.InputObjectType):
    phone = graphene.String(required=True, description="Vietnamese mobile, e.g. 0903 123 456.")
    code = graphene.String(required=True, description="The 6 digits from otpRequest(purpose: SIGN_IN).")
    full_name = graphene.String()
    email = graphene.String(description="Optional.")
    password = graphene.String(description="Optional: without one, sign in with a code each time.")
    preferred_language = graphene.String(description="vi or en; defaults to the request's language.")


class AccountRegisterWithPhone(BaseMutation):
    """Registers and signs in. A number that already has an account signs that account in (the code
    proves the phone); an e-mail address that has an account elsewhere is left out (its owner is told)."""

    class Arguments:
        input = AccountRegisterWithPhoneInput(required=True)

    class Meta:
        output = AccountRegisterWithPhonePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        data = arguments["input"]
        result = phone_auth.account_register_with_phone(
            phone=data.phone,
            code=data.code,
            full_name=data.full_name or "",
            email=data.email or "",
            password=data.password or "",
            preferred_language=data.preferred_language or _request_language(),
            ip=client_ip(info.context),
        )
        pair = result.tokens
        return {"token": pair.access, "refresh_token": pair.refresh, "user": pair.user, "created": result.created}
