"""Takedown requests end to end: recorded, listings hidden at once, sellers told, audited, exported."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from backend.accounts.models import ProvinceAdminScope
from backend.moderation.models import AuditEntry, TakedownRequest
from backend.regions.models import Province
from storefront_api.core.ids import global_id
from tests.catalog.operations import PRODUCT
from tests.factories import ProductFactory, SellerFactory, UserFactory, add_staff, commune

pytestmark = pytest.mark.django_db

RECORD = """
mutation T($input: TakedownRecordInput!) {
  takedownRecord(input: $input) {
    takedown { id authority documentNumber handlingHours listings { productName sellerName wasHidden } }
    errors { field code message }
  }
}
"""
LIST = "{ takedownRequests(first: 10) { totalCount edges { node { documentNumber recordedBy handlingHours } } } }"


def admin_of(slug: str):
    user = UserFactory()
    ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=slug))
    return user


@pytest.fixture
def world(regions):
    seller = SellerFactory(commune=commune(), name="HTX Dâu Tây")
    owner = add_staff(seller)
    products = [ProductFactory(seller=seller, name=f"Dâu tây {i}") for i in range(2)]
    return {"seller": seller, "owner": owner, "products": products, "admin": admin_of("lam-dong")}


def record_input(products, **overrides):
    return {
        "authority": "Sở Công Thương Lâm Đồng",
        "documentNumber": "123/SCT-QLTM",
        "documentDate": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "receivedAt": (timezone.now() - timedelta(hours=3)).isoformat(),
        "reason": "Hàng giả nhãn hiệu",
        "listings": [global_id("Product", p.pk) for p in products],
        **overrides,
    }


def test_a_request_hides_its_listings_at_once_and_tells_the_seller(
    gql, world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    products = world["products"]
    with django_capture_on_commit_callbacks(execute=True):
        result = gql(RECORD, {"input": record_input(products)}, user=world["admin"]).payload("takedownRecord")
    assert result["errors"] == []
    takedown = result["takedown"]
    assert [listing["wasHidden"] for listing in takedown["listings"]] == [False, False]
    assert 2.9 < takedown["handlingHours"] < 3.1
    for product in products:
        product.refresh_from_db()
        assert product.hidden_at is not None and "123/SCT-QLTM" in product.hidden_reason
        assert gql(PRODUCT, {"id": global_id("Product", product.pk)}).data["product"] is None  # buyers see nothing
    assert AuditEntry.objects.filter(action="product.hide").count() == 2
    assert AuditEntry.objects.filter(action="takedown.record", actor=world["admin"]).count() == 1
    told = [m for m in mail.outbox if world["owner"].email in m.to]
    assert len(told) == 1 and "Sở Công Thương Lâm Đồng" in told[0].subject
    assert "123/SCT-QLTM" in told[0].body and "Dâu tây 0" in told[0].body
    listed = gql(LIST, user=world["admin"]).data["takedownRequests"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["recordedBy"] == world["admin"].email


def test_other_provinces_and_sellers_cannot_record_and_nothing_changes(gql, world) -> None:
    for user in (admin_of("khanh-hoa"), world["owner"], None):
        result = gql(RECORD, {"input": record_input(world["products"])}, user=user)
        assert result.error_codes("takedownRecord") in (["PERMISSION_DENIED"], ["AUTHENTICATION_REQUIRED"])
    assert not TakedownRequest.objects.exists()
    assert all(p.hidden_at is None for p in world["products"])
    assert gql(LIST, user=admin_of("khanh-hoa")).data["takedownRequests"]["totalCount"] == 0


def test_missing_details_are_reported_together(gql, world) -> None:
    bad = record_input(world["products"], authority=" ", documentNumber="", reason="", documentDate="2999-01-01")
    errors = gql(RECORD, {"input": bad}, user=world["admin"], lang="en").payload("takedownRecord")["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("authority", "REQUIRED"),
        ("documentNumber", "REQUIRED"),
        ("reason", "REQUIRED"),
        ("documentDate", "INVALID"),
    }
    assert not TakedownRequest.objects.exists()


def test_the_console_records_and_exports_with_handling_time(client: Client, world) -> None:
    client.force_login(world["admin"])
    product = world["products"][0]
    form = {
        "authority": "Công an tỉnh Lâm Đồng",
        "document_number": "45/CAT-PC03",
        "document_date": date.today().strftime("%d/%m/%Y"),
        "reason": '=HYPERLINK("http://x") vi phạm',
        "listings": f"https://chophien.vn/p/{product.slug}/\n",
    }
    assert client.post("/province/takedowns/", form).status_code == 302
    product.refresh_from_db()
    assert product.hidden_at is not None
    page = client.get("/province/takedowns/").content.decode()
    assert "45/CAT-PC03" in page
    export = client.get("/province/takedowns/export.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    data = [row for row in rows if "45/CAT-PC03" in row]
    assert len(data) == 1
    assert data[0][4].startswith("'=")  # the safe export keeps a formula as text
    assert float(data[0][8]) >= 0
