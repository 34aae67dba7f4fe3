"""requestPasswordReset: mail a link to choose a new password (same answer for every address)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.accounts import recovery
from backend.core.net import client_ip
from storefront_api.accounts.types import RequestPasswordResetPayload
from storefront_api.core.mutations import BaseMutation


class RequestPasswordReset(BaseMutation):
    """Give the account's e-mail address or its phone number. Whether or not an account matches,
    the answer is the same; a matching account gets a single-use link by e-mail (phones have no
    SMS channel yet, so the link goes to the address of the accounts with that phone)."""

    class Arguments:
        email = graphene.String()
        phone = graphene.String(description="Vietnamese number, e.g. 0903 123 456.")

    class Meta:
        output = RequestPasswordResetPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        recovery.request_password_reset(
            email=arguments.get("email") or "", phone=arguments.get("phone") or "", ip=client_ip(info.context)
        )
        return {}
