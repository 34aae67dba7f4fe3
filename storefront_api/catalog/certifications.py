"""Certifications on products: the type, `productCertificationAdd` (seller staff)
and `productCertificationVerify` (province admins)."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _
from graphene import relay

from backend.catalog import certifications as services
from backend.catalog.models import Certification as CertificationModel
from backend.catalog.models import CertificationKind as Kinds
from backend.core.errors import NotFound
from storefront_api.catalog.inputs import product_by_id
from storefront_api.core.auth import require_user
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.core.scalars import Upload

CertificationKind = graphene.Enum("CertificationKind", [(value, value) for value in Kinds.values])


class Certification(graphene.ObjectType):
    class Meta:
        interfaces = (relay.Node,)

    kind = graphene.Field(graphene.NonNull(CertificationKind))
    number = graphene.String(required=True)
    valid_until = graphene.Date()
    verified = graphene.Boolean(required=True, description="Checked by a province admin against the document.")
    document_url = graphene.String(description="The uploaded certificate, if any.")

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, CertificationModel)

    @staticmethod
    def resolve_kind(root: CertificationModel, info: graphene.ResolveInfo) -> str:
        return str(root.kind)

    @staticmethod
    def resolve_document_url(root: CertificationModel, info: graphene.ResolveInfo) -> str | None:
        return root.document.url if root.document else None


def product_certifications(product_id: int) -> list[CertificationModel]:
    return list(CertificationModel.objects.filter(product_id=product_id).order_by("id"))


class CertificationPayload(Payload):
    certification = graphene.Field(Certification)


class ProductCertificationAdd(BaseMutation):
    """Declare a certification (VietGAP, GlobalGAP, organic…) with its document. Seller staff only."""

    class Arguments:
        product = graphene.ID(required=True)
        kind = CertificationKind(required=True)
        number = graphene.String()
        valid_until = graphene.Date()
        document = Upload(description="PDF, JPEG or PNG, at most 10 MB.")

    class Meta:
        output = CertificationPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        kind = arguments["kind"]
        certification = services.certification_add(
            product=product_by_id(arguments["product"], field="product"),
            actor=user,
            kind=getattr(kind, "value", kind),
            number=arguments.get("number") or "",
            valid_until=arguments.get("valid_until"),
            document=arguments.get("document"),
        )
        return {"certification": certification}


class ProductCertificationVerify(BaseMutation):
    """Confirm (or withdraw) a certification after checking its document. Province admins only."""

    class Arguments:
        id = graphene.ID(required=True)
        verified = graphene.Boolean(required=True)
        note = graphene.String()

    class Meta:
        output = CertificationPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        pk = decode_id(arguments["id"], type_name="Certification")
        related = "product__seller__commune__province"
        certification = CertificationModel.objects.select_related(related).filter(pk=pk).first()
        if certification is None:
            raise NotFound(_("This certification does not exist."), field="id")
        certification = services.certification_verify(
            certification=certification, actor=user, verified=arguments["verified"], note=arguments.get("note") or ""
        )
        return {"certification": certification}
