"""Certifications: sellers declare them with a document, province admins verify them."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.catalog.models import Certification
from backend.moderation.models import AuditEntry
from storefront_api.core.ids import global_id
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADD = """mutation($product: ID!, $kind: CertificationKind!, $number: String, $document: Upload) {
  productCertificationAdd(product: $product, kind: $kind, number: $number, document: $document) {
    certification { id kind number verified documentUrl } errors { field code message } } }"""
VERIFY = """mutation($id: ID!, $verified: Boolean!) {
  productCertificationVerify(id: $id, verified: $verified) { certification { id verified } errors { code } } }"""
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add(client, user, product, content: bytes = PDF, name: str = "vietgap.pdf") -> dict:
    from backend.accounts.tokens import access_token_for

    variables = {"product": global_id("Product", product.pk), "kind": "VIETGAP", "number": "VG-123", "document": None}
    response = client.post(
        "/graphql/",
        {
            "operations": json.dumps({"query": ADD, "variables": variables}),
            "map": json.dumps({"0": ["variables.document"]}),
            "0": SimpleUploadedFile(name, content),
        },
        headers={"Authorization": f"Bearer {access_token_for(user)}"},
    )
    return response.json()["data"]["productCertificationAdd"]


def test_staff_declare_and_an_admin_verifies(client, gql, seller, staff, lam_dong_admin) -> None:
    product = ProductFactory(seller=seller)
    added = add(client, staff, product)
    assert added["errors"] == []
    assert added["certification"]["verified"] is False
    assert added["certification"]["documentUrl"].endswith(".pdf")

    verified = gql(VERIFY, {"id": added["certification"]["id"], "verified": True}, user=lam_dong_admin)
    assert verified.payload("productCertificationVerify")["certification"]["verified"] is True
    entry = AuditEntry.objects.get(action="certification.verify")
    assert (entry.actor, entry.target_id, entry.status_after) == (lam_dong_admin, product.pk, "VERIFIED")


def test_other_sellers_staff_and_bad_documents_are_refused(client, seller, other_staff, staff) -> None:
    product = ProductFactory(seller=seller)
    assert [e["code"] for e in add(client, other_staff, product)["errors"]] == ["PERMISSION_DENIED"]
    refused = add(client, staff, product, content=b"MZ\x90\x00 not a document", name="virus.pdf")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("document", "INVALID")]
    assert not Certification.objects.exists()


def test_only_admins_of_the_province_verify(client, gql, seller, staff, khanh_hoa_admin) -> None:
    product = ProductFactory(seller=seller)
    certification_id = add(client, staff, product)["certification"]["id"]
    for user in (staff, khanh_hoa_admin):
        result = gql(VERIFY, {"id": certification_id, "verified": True}, user=user)
        assert result.error_codes("productCertificationVerify") == ["PERMISSION_DENIED"]
    assert Certification.objects.get().verified is False


def test_buyers_see_certifications_on_the_grid_at_a_fixed_query_count(client, gql, seller, staff) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import VariantFactory

    grid = "query($first: Int) { products(first: $first) { edges { node { name certifications { kind verified } } } } }"
    products = [VariantFactory(product=ProductFactory(seller=seller)).product for _ in range(4)]
    for product in products:
        assert add(client, staff, product)["errors"] == []
    counts = []
    for first in (2, 4):
        with CaptureQueriesContext(connection) as queries:
            edges = gql(grid, {"first": first}).data["products"]["edges"]
        counts.append(len(queries))
        assert [node["node"]["certifications"] for node in edges] == [[{"kind": "VIETGAP", "verified": False}]] * first
    assert counts[0] == counts[1]
