"""GraphQL type of an identity verification (the seller's staff and the province admins covering it)."""

from __future__ import annotations

from typing import Any

import graphene
from django.urls import reverse
from django.utils import timezone

from backend.sellers.identity import REASON_MESSAGES
from backend.sellers.models import IdentityVerification as IdentityVerificationModel
from identity.numbers import mask
from storefront_api.core.ids import global_id


class IdentityVerification(graphene.ObjectType):
    """One attempt to verify the identity behind a seller. The ID number is only ever shown masked."""

    id = graphene.ID(required=True)
    provider = graphene.String(required=True, description="vneid | manual | sandbox")
    status = graphene.String(required=True, description="PENDING | VERIFIED | REJECTED")
    reason = graphene.String(description="A Reason code when rejected (NAME_MISMATCH, FACE_MISMATCH, …).")
    reason_message = graphene.String(description="The reason in words, localized.")
    claimed_full_name = graphene.String(required=True)
    claimed_birth_date = graphene.Date()
    id_number = graphene.String(description="Masked: 0**********5.")
    front_photo_url = graphene.String(description="Manual review: the card's front (province admins only).")
    back_photo_url = graphene.String(description="Manual review: the card's back (province admins only).")
    requested_at = graphene.DateTime(required=True)
    decided_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str:
        return global_id("IdentityVerification", root.pk)

    @staticmethod
    def resolve_reason(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str | None:
        return root.reason or None

    @staticmethod
    def resolve_reason_message(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str | None:
        message = REASON_MESSAGES.get(root.reason)
        return str(message) if message else None

    @staticmethod
    def resolve_id_number(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str | None:
        return mask(root.claimed_id_number) if root.claimed_id_number else None

    @staticmethod
    def resolve_front_photo_url(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str | None:
        return reverse("sellers:identity-photo", args=[root.pk, "front"]) if root.front_photo else None

    @staticmethod
    def resolve_back_photo_url(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> str | None:
        return reverse("sellers:identity-photo", args=[root.pk, "back"]) if root.back_photo else None

    @staticmethod
    def resolve_requested_at(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.created_at)

    @staticmethod
    def resolve_decided_at(root: IdentityVerificationModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.decided_at) if root.decided_at else None
