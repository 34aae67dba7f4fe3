"""accountRegister: create a buyer account (the same answer whether or not the address has one)."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import translation

from backend.accounts import services
from backend.accounts.models import User as UserModel
from backend.core.net import client_ip
from storefront_api.accounts.types import AccountRegisterPayload
from storefront_api.core.mutations import BaseMutation


class AccountRegisterInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    full_name = graphene.String()
    phone = graphene.String(description="Vietnamese number, e.g. 0903 123 456; stored as E.164.")
    preferred_language = graphene.String(description="Language code, vi or en; defaults to the request's language.")


def _request_language() -> str:
    language = (translation.get_language() or "").split("-")[0].lower()
    return language if language in UserModel.Language.values else UserModel.Language.VI


class AccountRegister(BaseMutation):
    """Register with e-mail and password, then sign in with tokenCreate. The answer is the same
    whether or not the address already has an account (its owner is e-mailed instead), so `user`
    is always null and only input errors (and THROTTLED) are reported."""

    class Arguments:
        input = AccountRegisterInput(required=True)

    class Meta:
        output = AccountRegisterPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        data = arguments["input"]
        services.account_register(
            email=data.email,
            password=data.password,
            full_name=data.full_name or "",
            phone=data.phone or "",
            preferred_language=data.preferred_language or _request_language(),
            ip=client_ip(info.context),
        )
        return {"user": None}
