"""GraphQL types of personal data: consents and data requests."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone

from storefront_api.core.mutations import Payload


class Consent(graphene.ObjectType):
    purpose = graphene.String(required=True, description="ACCOUNT | ORDER_FULFILMENT | MARKETING")
    notice_version = graphene.String(required=True)
    channel = graphene.String(required=True)
    given_at = graphene.DateTime(required=True)
    withdrawn_at = graphene.DateTime()

    @staticmethod
    def resolve_given_at(root: Any, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.granted_at)

    @staticmethod
    def resolve_withdrawn_at(root: Any, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.withdrawn_at) if root.withdrawn_at else None


class DataRequest(graphene.ObjectType):
    kind = graphene.String(required=True, description="EXPORT | DELETE")
    status = graphene.String(required=True)
    requested_at = graphene.DateTime(required=True)
    due_at = graphene.DateTime(required=True)


class ConsentPayload(Payload):
    consents = graphene.List(graphene.NonNull(Consent))
