"""Commune helper queries: a seller's helper acts, the helper's households, the province's counts."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLError

from backend.core.errors import DomainError
from backend.helpers import selectors
from backend.reports.selectors import province_for_viewer
from storefront_api.core.auth import current_user, require_seller_staff_query
from storefront_api.helpers.types import HelperAct, HelperCount
from storefront_api.sellers.mutations.common import seller_from_id
from storefront_api.sellers.types import Seller


class HelperQueries(graphene.ObjectType):
    seller_helper_acts = graphene.List(
        graphene.NonNull(HelperAct),
        required=True,
        seller=graphene.ID(required=True),
        description="What commune helpers did for this seller, newest first (its staff).",
    )
    my_households = graphene.List(
        graphene.NonNull(Seller), required=True, description="The sellers the signed-in helper acts for."
    )
    province_helper_counts = graphene.List(
        graphene.NonNull(HelperCount),
        required=True,
        province=graphene.String(required=True),
        description="Households registered and their products, per helper and commune (province admins).",
    )

    @staticmethod
    def resolve_seller_helper_acts(root: Any, info: graphene.ResolveInfo, seller: str) -> list[Any]:
        try:
            target = seller_from_id(seller, field="seller")
        except DomainError as exc:
            raise GraphQLError(str(exc), extensions={"code": exc.code}) from None
        require_seller_staff_query(info, target.pk)
        return list(selectors.acts_for_seller(seller=target, viewer=current_user(info))[:200])

    @staticmethod
    def resolve_my_households(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        user = current_user(info)
        return [] if user is None else list(selectors.households_of(helper=user))

    @staticmethod
    def resolve_province_helper_counts(root: Any, info: graphene.ResolveInfo, province: str) -> list[Any]:
        user = current_user(info)
        try:
            found = province_for_viewer(user=user, key=province)
            return selectors.helper_counts(province=found, viewer=user)
        except DomainError as exc:
            raise GraphQLError(str(exc), extensions={"code": exc.code}) from None
