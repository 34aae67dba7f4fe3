"""GraphQL types for provinces and communes."""

from __future__ import annotations

import graphene
from graphene import relay

from backend.regions.models import Commune as CommuneModel
from backend.regions.models import Province as ProvinceModel
from storefront_api.core.types import Error


class Province(graphene.ObjectType):
    class Meta:
        interfaces = (relay.Node,)

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    short_name = graphene.String(required=True)
    name_en = graphene.String()

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: str) -> ProvinceModel | None:
        return ProvinceModel.objects.filter(pk=id).first()

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, ProvinceModel | dict)


class Commune(graphene.ObjectType):
    class Meta:
        interfaces = (relay.Node,)

    code = graphene.String(required=True)
    name = graphene.String(required=True, description='Official name, e.g. "Phường Xuân Hương - Đà Lạt".')
    short_name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.String(required=True, description='"xa" | "phuong" | "dac_khu"')
    province = graphene.Field(graphene.NonNull(Province))

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: str) -> CommuneModel | None:
        return CommuneModel.objects.select_related("province").filter(pk=id).first()

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, CommuneModel | dict)


class LegacyAddressResult(graphene.ObjectType):
    """The new commune for a pre-July-2025 address, or what to choose from."""

    commune = graphene.Field(Commune, description="Set only when the old address maps to exactly one commune.")
    candidates = graphene.List(
        graphene.NonNull(Commune),
        required=True,
        description="The commune itself on success; otherwise the communes to choose from, closest first.",
    )
    errors = graphene.List(
        graphene.NonNull(Error),
        required=True,
        description="AMBIGUOUS (choose among candidates), NOT_FOUND (see candidates for suggestions), REQUIRED.",
    )
