"""sellerIdentityReview: a province officer decides a manual review of the CCCD card photos."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.sellers import identity
from backend.sellers.models import IdentityVerification as IdentityVerificationModel
from storefront_api.core.auth import require_user
from storefront_api.core.ids import decode_id
from storefront_api.core.mutations import BaseMutation, Payload
from storefront_api.sellers.identity_types import IdentityVerification


class SellerIdentityReviewPayload(Payload):
    verification = graphene.Field(IdentityVerification)


class SellerIdentityReview(BaseMutation):
    """Approve only after comparing both photos with the applicant and typing what the card says; refuse
    with a reason code (FACE_MISMATCH, DOCUMENT_UNREADABLE, DOCUMENT_EXPIRED, OTHER, …). Audited."""

    class Arguments:
        id = graphene.ID(required=True)
        approve = graphene.Boolean(required=True)
        front_photo_genuine = graphene.Boolean()
        back_photo_genuine = graphene.Boolean()
        face_matches = graphene.Boolean()
        card_valid = graphene.Boolean()
        read_full_name = graphene.String()
        read_birth_date = graphene.Date()
        read_id_number = graphene.String()
        reason = graphene.String()
        note = graphene.String()

    class Meta:
        output = SellerIdentityReviewPayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        pk = decode_id(arguments["id"], type_name="IdentityVerification", field="id")
        verification = IdentityVerificationModel.objects.filter(pk=pk).first()
        if verification is None:
            raise NotFound(_("This verification does not exist."), field="id")
        decided = identity.identity_verification_review(
            verification=verification,
            actor=user,
            approve=arguments["approve"],
            front_photo_genuine=bool(arguments.get("front_photo_genuine")),
            back_photo_genuine=bool(arguments.get("back_photo_genuine")),
            face_matches=bool(arguments.get("face_matches")),
            card_valid=bool(arguments.get("card_valid")),
            read_full_name=arguments.get("read_full_name") or "",
            read_birth_date=arguments.get("read_birth_date"),
            read_id_number=arguments.get("read_id_number") or "",
            reason=arguments.get("reason") or "",
            note=arguments.get("note") or "",
        )
        return {"verification": decided}
