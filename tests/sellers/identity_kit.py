"""Helpers for the identity tests: GraphQL operations, card photos, a verified seller."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.tokens import access_token_for
from backend.sellers.models import IdentityVerification, IdentityVerificationStatus, Seller
from tests.conftest import GQLResult

CCCD = "068085012345"  # Lâm Đồng, a man born in 1985
BIRTH = date(1985, 3, 14)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

VERIFY = """
mutation Verify($seller: ID!, $provider: String!, $fullName: String!, $birthDate: Date!, $idNumber: String!,
                $frontPhoto: Upload, $backPhoto: Upload) {
  sellerIdentityVerify(seller: $seller, provider: $provider, fullName: $fullName, birthDate: $birthDate,
                       idNumber: $idNumber, frontPhoto: $frontPhoto, backPhoto: $backPhoto) {
    verification { id provider status reason idNumber frontPhotoUrl backPhotoUrl }
    redirectUrl
    errors { field code message }
  }
}
"""

REVIEW = """
mutation Review($id: ID!, $approve: Boolean!, $front: Boolean, $back: Boolean, $face: Boolean, $valid: Boolean,
                $name: String, $birth: Date, $number: String, $reason: String) {
  sellerIdentityReview(id: $id, approve: $approve, frontPhotoGenuine: $front, backPhotoGenuine: $back,
                       faceMatches: $face, cardValid: $valid, readFullName: $name, readBirthDate: $birth,
                       readIdNumber: $number, reason: $reason) {
    verification { id status reason reasonMessage }
    errors { field code message }
  }
}
"""


def photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def post_with_photos(client: Client, query: str, variables: dict[str, Any], *, user: User) -> GQLResult:
    """A multipart GraphQL request with the two card photos."""
    operations = json.dumps({"query": query, "variables": {**variables, "frontPhoto": None, "backPhoto": None}})
    mapping = json.dumps({"0": ["variables.frontPhoto"], "1": ["variables.backPhoto"]})
    response = client.post(
        "/graphql/",
        {"operations": operations, "map": mapping, "0": photo("front.png"), "1": photo("back.png")},
        headers={"Authorization": f"Bearer {access_token_for(user)}"},
    )
    return GQLResult(status=response.status_code, json=response.json())


def mark_verified(seller: Seller) -> Seller:
    """Arrange: a seller whose identity a past verification proved (for tests about something else)."""
    now = timezone.now()
    IdentityVerification.objects.create(
        seller=seller,
        provider="manual",
        status=IdentityVerificationStatus.VERIFIED,
        claimed_full_name="Nguyễn Văn An",
        claimed_birth_date=BIRTH,
        claimed_id_number=CCCD,
        decided_at=now,
    )
    seller.identity_verified_at = now
    if not seller.tax_code and not seller.personal_id:
        seller.personal_id = CCCD
    seller.save()
    return seller


def ready_for_approval(seller: Seller) -> Seller:
    """Arrange: an application with everything approval asks for (identity, tax code, registration)."""
    seller.tax_code = seller.tax_code or "5800123458"
    seller.business_registration_no = seller.business_registration_no or "5800123458"
    return mark_verified(seller)
