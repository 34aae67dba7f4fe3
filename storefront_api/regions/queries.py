"""Region queries: provinces, communes and old-address conversion."""

from __future__ import annotations

from typing import Any

import graphene

from backend.regions.models import Province as ProvinceModel
from backend.regions.selectors import communes_list, provinces_list
from backend.regions.services import convert_legacy_address
from storefront_api.core.connection import Page, connection_field, paginate
from storefront_api.core.types import Error
from storefront_api.regions.types import Commune, LegacyAddressResult, Province


class RegionQueries(graphene.ObjectType):
    provinces = graphene.List(
        graphene.NonNull(Province), required=True, description="The 34 provinces and cities since 1 July 2025."
    )
    communes = connection_field(
        Commune,
        province=graphene.String(description='Slug ("lam-dong"), code ("68") or name ("Lâm Đồng", "lam dong").'),
        search=graphene.String(description='Words of the name, with or without diacritics ("xuan huong").'),
        description="Commune-level units (xã, phường, đặc khu). An unknown province gives an empty list.",
    )
    legacy_address_convert = graphene.Field(
        graphene.NonNull(LegacyAddressResult),
        ward=graphene.String(required=True, description='Old ward/commune/town, e.g. "P. 7" or "TT Liên Nghĩa".'),
        district=graphene.String(
            required=True, description='Old district, e.g. "TP Đà Lạt"; may be empty if the ward is unique.'
        ),
        province=graphene.String(required=True, description='Old province ("Bình Thuận") or the new one.'),
        description="Convert a pre-July-2025 address (ward, district, province) to today's commune.",
    )

    @staticmethod
    def resolve_provinces(root: Any, info: graphene.ResolveInfo) -> list[ProvinceModel]:
        return list(provinces_list())

    @staticmethod
    def resolve_communes(
        root: Any,
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
        province: str | None = None,
        search: str | None = None,
    ) -> Page:
        return paginate(communes_list(province=province, search=search), first=first, after=after)

    @staticmethod
    def resolve_legacy_address_convert(
        root: Any, info: graphene.ResolveInfo, ward: str, district: str, province: str
    ) -> LegacyAddressResult:
        result = convert_legacy_address(ward=ward, district=district, province=province)
        return LegacyAddressResult(
            commune=result.commune,
            candidates=result.candidates,
            errors=[Error(field=e.field, code=e.code, message=e.message) for e in result.errors],
        )
