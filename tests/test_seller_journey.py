"""The whole seller journey through GraphQL, with the audit trail:

apply → approve → create a product with variants and an image → publish →
visible to buyers; suspend → gone; reinstate → back.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.accounts.models import ProvinceAdminScope
from backend.accounts.tokens import access_token_for
from backend.catalog.categories import seed_categories
from backend.catalog.models import Category
from backend.moderation.models import AuditEntry
from backend.regions.models import Commune, Province
from storefront_api.core.ids import global_id
from tests.catalog.helpers import UPLOAD, image_bytes
from tests.catalog.operations import PRODUCT_CREATE, PRODUCTS, PUBLISH, VARIANT_CREATE
from tests.factories import UserFactory
from tests.sellers.identity_kit import BIRTH, CCCD, REVIEW, VERIFY, post_with_photos
from tests.sellers.operations import SELLER_APPLY, SELLER_APPROVE, SELLER_REINSTATE, SELLER_SUSPEND

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def names(result) -> list[str]:
    assert not result.errors, result.errors
    return [edge["node"]["name"] for edge in result.data["products"]["edges"]]


def test_apply_approve_list_publish_suspend_reinstate(gql, client, regions, django_capture_on_commit_callbacks):
    seed_categories()
    commune = Commune.objects.get(code="24778")
    applicant = UserFactory(email="htx.thaiphien@example.vn")
    admin = UserFactory(email="canbo@lamdong.example.vn", is_staff=True)
    ProvinceAdminScope.objects.create(user=admin, province=Province.objects.get(slug="lam-dong"))

    applied = gql(
        SELLER_APPLY,
        {
            "input": {
                "name": "HTX Dâu Tây Thái Phiên",
                "kind": "COOPERATIVE",
                "commune": global_id("Commune", commune.pk),
                "phone": "0903 123 456",
                "taxCode": "5800123458",
                "businessRegistrationNo": "5800123458",
            }
        },
        user=applicant,
    ).payload("sellerApply")
    assert applied["errors"] == []
    seller = applied["seller"]
    assert seller["status"] == "PENDING"

    # No approval before the identity behind the seller is verified (here by an officer's review).
    refused = gql(SELLER_APPROVE, {"id": seller["id"]}, user=admin).payload("sellerApprove")
    assert [e["code"] for e in refused["errors"]] == ["IDENTITY_NOT_VERIFIED"]
    claim = {"seller": seller["id"], "provider": "manual", "fullName": "Nguyễn Văn An"}
    claim |= {"birthDate": BIRTH.isoformat(), "idNumber": CCCD}
    started = post_with_photos(client, VERIFY, claim, user=applicant).payload("sellerIdentityVerify")
    assert started["errors"] == []
    checks = {"front": True, "back": True, "face": True, "valid": True}
    read = {"name": "Nguyễn Văn An", "birth": BIRTH.isoformat(), "number": CCCD}
    review = {"id": started["verification"]["id"], "approve": True, **checks, **read}
    assert gql(REVIEW, review, user=admin).payload("sellerIdentityReview")["errors"] == []

    approved = gql(SELLER_APPROVE, {"id": seller["id"], "note": "Hồ sơ đầy đủ"}, user=admin).payload("sellerApprove")
    assert approved["errors"] == [] and approved["seller"]["status"] == "APPROVED"

    fruit = Category.objects.get(slug="dau-tay")
    created = gql(
        PRODUCT_CREATE,
        {
            "seller": seller["id"],
            "input": {
                "name": "Dâu tây Thái Phiên",
                "description": "Hái buổi sáng, giao trong ngày.",
                "category": global_id("Category", fruit.pk),
                "kind": "GOODS",
                "ocopStars": 4,
            },
        },
        user=applicant,
    ).payload("productCreate")
    assert created["errors"] == []
    product_id = created["product"]["id"]
    for sku, name, price in (("DT-500", "Hộp 500 g", 120_000), ("DT-1KG", "Hộp 1 kg", 220_000)):
        variant = gql(
            VARIANT_CREATE,
            {"product": product_id, "input": {"sku": sku, "name": name, "price": price, "stock": 20}},
            user=applicant,
        ).payload("productVariantCreate")
        assert variant["errors"] == []

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            "/graphql/",
            {
                "operations": json.dumps({"query": UPLOAD, "variables": {"product": product_id, "image": None}}),
                "map": json.dumps({"0": ["variables.image"]}),
                "0": SimpleUploadedFile("dau.jpg", image_bytes(size=(640, 480)), content_type="image/jpeg"),
            },
            headers={"Authorization": f"Bearer {access_token_for(applicant)}"},
        ).json()
    assert uploaded["data"]["productImageUpload"]["errors"] == []

    assert names(gql(PRODUCTS, {"first": 10})) == []  # not published yet
    assert gql(PUBLISH, {"id": product_id}, user=applicant).payload("productPublish")["errors"] == []
    listed = gql(PRODUCTS, {"first": 10})
    assert names(listed) == ["Dâu tây Thái Phiên"]
    card = listed.data["products"]["edges"][0]["node"]
    assert card["pricing"]["priceMin"]["amount"] == 120_000
    assert card["pricing"]["priceMax"]["amount"] == 220_000
    assert card["thumbnail"]["url"].endswith(".webp")
    assert card["seller"]["name"] == "HTX Dâu Tây Thái Phiên"

    suspended = gql(SELLER_SUSPEND, {"id": seller["id"], "reason": "Khiếu nại về nguồn gốc"}, user=admin)
    assert suspended.payload("sellerSuspend")["errors"] == []
    assert names(gql(PRODUCTS, {"first": 10})) == []

    reinstated = gql(SELLER_REINSTATE, {"id": seller["id"], "note": "Đã xác minh"}, user=admin)
    assert reinstated.payload("sellerReinstate")["seller"]["status"] == "APPROVED"
    assert names(gql(PRODUCTS, {"first": 10})) == ["Dâu tây Thái Phiên"]

    trail = list(
        AuditEntry.objects.filter(target_type="seller")
        .order_by("created_at", "id")
        .values_list("action", "actor__email", "reason", "status_before", "status_after")
    )
    assert [row[0] for row in trail] == [
        "seller.apply",
        "seller.identity.start",
        "seller.identity.verified",
        "seller.approve",
        "seller.suspend",
        "seller.reinstate",
    ]
    assert trail[2][1] == admin.email and CCCD not in trail[2][2]
    assert trail[3:] == [
        ("seller.approve", admin.email, "Hồ sơ đầy đủ", "PENDING", "APPROVED"),
        ("seller.suspend", admin.email, "Khiếu nại về nguồn gốc", "APPROVED", "SUSPENDED"),
        ("seller.reinstate", admin.email, "Đã xác minh", "SUSPENDED", "APPROVED"),
    ]
