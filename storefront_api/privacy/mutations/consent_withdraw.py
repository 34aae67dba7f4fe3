"""consentWithdraw: withdraw a consent."""

from __future__ import annotations

from typing import Any

import graphene

from backend.legal import services as legal
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.privacy.types import ConsentPayload


class ConsentWithdraw(BaseMutation):
    """Withdraw your consent to a purpose."""

    class Arguments:
        purpose = graphene.String(required=True)

    class Meta:
        output = ConsentPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        legal.consent_withdraw(user=user, purpose=arguments["purpose"])
        return {"consents": list(legal.consents_of(user=user))}
