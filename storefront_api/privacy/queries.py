"""Personal data queries: my consents, my data, overdue requests."""

from __future__ import annotations

import json
from typing import Any

import graphene

from backend.legal import services as legal
from backend.privacy import services
from storefront_api.core.auth import current_user, require_user
from storefront_api.privacy.types import Consent, DataRequest


class PrivacyQueries(graphene.ObjectType):
    my_consents = graphene.List(graphene.NonNull(Consent), required=True, description="Yours, newest first.")
    my_data = graphene.String(description="Everything held about you, as a JSON document (recorded).")
    overdue_data_requests = graphene.List(
        graphene.NonNull(DataRequest), description="Open requests past their deadline. Platform and province."
    )

    @staticmethod
    def resolve_my_consents(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return list(legal.consents_of(user=current_user(info)))

    @staticmethod
    def resolve_my_data(root: Any, info: graphene.ResolveInfo) -> str:
        return json.dumps(services.data_export(user=require_user(info)), ensure_ascii=False)

    @staticmethod
    def resolve_overdue_data_requests(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        return list(services.data_requests_overdue(user=require_user(info)))
