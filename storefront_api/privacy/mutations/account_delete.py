"""accountDelete: erase my account, keeping pseudonymised orders and the ledger."""

from __future__ import annotations

from typing import Any

import graphene

from backend.privacy import services
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation, Payload


class AccountDeletePayload(Payload):
    deleted = graphene.Boolean()


class AccountDelete(BaseMutation):
    """Delete your account, confirmed with your password. Orders and money records stay, pseudonymised."""

    class Arguments:
        password = graphene.String(required=True)

    class Meta:
        output = AccountDeletePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        services.account_delete(user=require_user(info), password=arguments["password"])
        return {"deleted": True}
