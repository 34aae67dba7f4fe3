"""consentGrant: opt in to a purpose."""

from __future__ import annotations

from typing import Any

import graphene

from backend.legal import services as legal
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.privacy.types import ConsentPayload


class ConsentGrant(BaseMutation):
    """Opt in to a purpose (MARKETING); consent is never implied."""

    class Arguments:
        purpose = graphene.String(required=True)

    class Meta:
        output = ConsentPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        legal.consent_grant(user=user, purpose=arguments["purpose"], channel="API")
        return {"consents": list(legal.consents_of(user=user))}
