"""Seller queries: `sellers(first, after, filter)` and `seller(id, slug)`."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode, SelectionSetNode

from backend.core.errors import ValidationFailed
from backend.regions.selectors import province_scope
from backend.sellers import selectors
from backend.sellers.models import Seller as SellerModel
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, connection_field, paginate
from storefront_api.core.ids import decode_id
from storefront_api.core.types import PROVINCE_ARGUMENT
from storefront_api.sellers.types import Seller, SellerKind, SellerStatus, seller_prefetches


class SellerFilter(graphene.InputObjectType):
    status = SellerStatus(description="Only province admins see statuses other than APPROVED.")
    commune = graphene.ID()
    kind = SellerKind()
    search = graphene.String(description="Words of the name, with or without diacritics.")


def _id(value: str, *, type_name: str, field: str) -> int:
    try:
        return decode_id(value, type_name=type_name, field=field)
    except ValidationFailed as exc:
        raise GraphQLError(str(exc.details[0].message), extensions={"code": "INVALID", "field": field}) from None


def _enum_value(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def selected_names(info: graphene.ResolveInfo) -> set[str]:
    """Every field name selected below the current field (fragments included)."""
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
                walk(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in info.fragments:
                walk(info.fragments[selection.name.value].selection_set)

    for node in info.field_nodes:
        walk(node.selection_set)
    return names


class SellerQueries(graphene.ObjectType):
    sellers = connection_field(
        Seller,
        filter=SellerFilter(),
        province=graphene.String(description=PROVINCE_ARGUMENT),
        description="Approved sellers by name; province admins also see every status in their scope.",
    )
    seller = graphene.Field(
        Seller,
        id=graphene.ID(),
        slug=graphene.String(),
        description="One seller by ID or slug; null when it does not exist or is not visible to you.",
    )

    @staticmethod
    def resolve_sellers(
        root: Any,
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
        filter: dict[str, Any] | None = None,
        province: str | None = None,
    ) -> Page:
        filter = filter or {}
        commune = filter.get("commune")
        sellers = selectors.seller_list(
            user=current_user(info),
            status=_enum_value(filter.get("status")),
            commune_id=_id(commune, type_name="Commune", field="commune") if commune else None,
            kind=_enum_value(filter.get("kind")),
            search=filter.get("search"),
            province_id=province_scope(province),
        )
        prefetches = seller_prefetches(selected_names(info))
        if prefetches:
            sellers = sellers.prefetch_related(*prefetches)
        return paginate(sellers, first=first, after=after)

    @staticmethod
    def resolve_seller(
        root: Any, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> SellerModel | None:
        pk = _id(id, type_name="Seller", field="id") if id else None
        return selectors.seller_get(user=current_user(info), pk=pk, slug=(slug or "").strip() or None)
