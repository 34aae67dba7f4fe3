"""Listing reports and productHide: province admins take bad listings down, audited."""

from __future__ import annotations

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category
from backend.moderation.models import AuditEntry, ListingReport, ReportStatus
from storefront_api.core.ids import global_id
from tests.catalog.helpers import make_admin, with_variants
from tests.factories import ProductFactory, SellerFactory, UserFactory, add_staff

pytestmark = pytest.mark.django_db

HIDE = """
mutation Hide($id: ID!, $reason: String!) {
  productHide(id: $id, reason: $reason) { product { id isHidden } errors { field code message } }
}
"""
UNHIDE = """
mutation Unhide($id: ID!) {
  productUnhide(id: $id) { product { id isHidden } errors { field code } }
}
"""
REPORT = """
mutation Report($product: ID!, $reason: ReportReason!, $note: String) {
  productReport(product: $product, reason: $reason, note: $note) {
    report { id reason note status product { slug } }
    errors { field code message }
  }
}
"""
QUEUE = """
query Queue($status: ReportStatus) {
  listingReports(status: $status, first: 20) {
    totalCount
    edges { node { id reason status product { slug isHidden seller { name } } } }
  }
}
"""
DISMISS = """
mutation Dismiss($id: ID!) {
  listingReportDismiss(id: $id) { report { id status } errors { code } }
}
"""
VISIBLE = """
query Visible($slug: String) {
  product(slug: $slug) { slug }
  products(first: 10) { totalCount edges { node { slug } } }
}
"""


@pytest.fixture
def product(regions):
    seed_categories()
    seller = SellerFactory(name="HTX Sâm Ngọc Linh")
    product = ProductFactory(seller=seller, slug="sam-ocop", category=Category.objects.get(slug="dac-san-kho-che-bien"))
    return with_variants(product, 2_000_000)


@pytest.fixture
def lam_dong_admin(regions):
    return make_admin("lam-dong")


@pytest.fixture
def khanh_hoa_admin(regions):
    return make_admin("khanh-hoa")


def report(gql, product, user, reason="COUNTERFEIT_OCOP", note="Không có trong danh sách OCOP"):
    variables = {"product": global_id("Product", product.pk), "reason": reason, "note": note}
    return gql(REPORT, variables, user=user)


def test_buyer_reports_and_the_admin_hides_the_product(gql, product, lam_dong_admin) -> None:
    buyer = UserFactory()
    created = report(gql, product, buyer).payload("productReport")
    assert created["errors"] == []
    assert created["report"]["status"] == "OPEN"
    assert created["report"]["product"] == {"slug": "sam-ocop"}

    queue = gql(QUEUE, {"status": "OPEN"}, user=lam_dong_admin).data["listingReports"]
    assert queue["totalCount"] == 1
    assert queue["edges"][0]["node"]["product"]["seller"]["name"] == "HTX Sâm Ngọc Linh"

    hidden = gql(HIDE, {"id": global_id("Product", product.pk), "reason": "Giả mạo OCOP"}, user=lam_dong_admin)
    assert hidden.payload("productHide") == {
        "product": {"id": global_id("Product", product.pk), "isHidden": True},
        "errors": [],
    }
    # Gone for buyers, at once, everywhere.
    seen = gql(VISIBLE, {"slug": "sam-ocop"}, user=buyer).data
    assert seen["product"] is None and seen["products"]["totalCount"] == 0
    assert gql(VISIBLE, {"slug": "sam-ocop"}).data["products"]["totalCount"] == 0

    entry = AuditEntry.objects.get(action="product.hide")
    assert (entry.actor, entry.target_type, entry.target_id) == (lam_dong_admin, "product", product.pk)
    assert (entry.reason, entry.status_before, entry.status_after) == ("Giả mạo OCOP", "PUBLISHED", "HIDDEN")
    assert ListingReport.objects.get().status == ReportStatus.ACTIONED
    assert gql(QUEUE, {"status": "OPEN"}, user=lam_dong_admin).data["listingReports"]["totalCount"] == 0


def test_admin_of_another_province_cannot_hide(gql, product, khanh_hoa_admin) -> None:
    result = gql(HIDE, {"id": global_id("Product", product.pk), "reason": "Không rõ"}, user=khanh_hoa_admin)
    assert result.error_codes("productHide") == ["PERMISSION_DENIED"]
    product.refresh_from_db()
    assert product.hidden_at is None
    assert not AuditEntry.objects.exists()


def test_staff_and_buyers_cannot_hide_and_anonymous_must_sign_in(gql, product) -> None:
    variables = {"id": global_id("Product", product.pk), "reason": "x"}
    assert gql(HIDE, variables, user=add_staff(product.seller)).error_codes("productHide") == ["PERMISSION_DENIED"]
    assert gql(HIDE, variables, user=UserFactory()).error_codes("productHide") == ["PERMISSION_DENIED"]
    assert gql(HIDE, variables).error_codes("productHide") == ["AUTHENTICATION_REQUIRED"]
    product.refresh_from_db()
    assert product.hidden_at is None


def test_hiding_needs_a_reason_and_happens_once(gql, product, lam_dong_admin) -> None:
    variables = {"id": global_id("Product", product.pk), "reason": "  "}
    assert gql(HIDE, variables, user=lam_dong_admin).error_codes("productHide") == ["REQUIRED"]
    variables["reason"] = "Hàng cấm"
    assert gql(HIDE, variables, user=lam_dong_admin).payload("productHide")["errors"] == []
    assert gql(HIDE, variables, user=lam_dong_admin).error_codes("productHide") == ["INVALID_TRANSITION"]
    assert AuditEntry.objects.filter(action="product.hide").count() == 1


def test_unhide_brings_it_back(gql, product, lam_dong_admin) -> None:
    gql(HIDE, {"id": global_id("Product", product.pk), "reason": "Nhầm"}, user=lam_dong_admin)
    result = gql(UNHIDE, {"id": global_id("Product", product.pk)}, user=lam_dong_admin).payload("productUnhide")
    assert result["product"]["isHidden"] is False
    assert gql(VISIBLE, {"slug": "sam-ocop"}).data["product"] == {"slug": "sam-ocop"}
    assert AuditEntry.objects.filter(action="product.unhide").exists()


def test_reports_need_a_signed_in_user_and_a_visible_product(gql, product) -> None:
    assert report(gql, product, None).error_codes("productReport") == ["AUTHENTICATION_REQUIRED"]
    product.is_published = False
    product.save()
    assert report(gql, product, UserFactory()).error_codes("productReport") == ["NOT_FOUND"]
    assert not ListingReport.objects.exists()


def test_reporting_twice_keeps_one_open_report(gql, product) -> None:
    buyer = UserFactory()
    first = report(gql, product, buyer).payload("productReport")["report"]
    second = report(gql, product, buyer, reason="MISLEADING_PRICE").payload("productReport")["report"]
    assert first["id"] == second["id"]
    assert ListingReport.objects.count() == 1


def test_other_needs_a_note(gql, product) -> None:
    result = report(gql, product, UserFactory(), reason="OTHER", note="")
    assert [(e["field"], e["code"]) for e in result.payload("productReport")["errors"]] == [("note", "REQUIRED")]


def test_queue_is_scoped_and_for_admins_only(gql, product, khanh_hoa_admin) -> None:
    report(gql, product, UserFactory())
    assert gql(QUEUE, {}, user=khanh_hoa_admin).data["listingReports"]["totalCount"] == 0
    buyer_view = gql(QUEUE, {}, user=UserFactory())
    assert buyer_view.errors[0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert gql(QUEUE, {}).errors[0]["extensions"]["code"] == "AUTHENTICATION_REQUIRED"


def test_dismiss_closes_the_report_and_is_audited(gql, product, lam_dong_admin, khanh_hoa_admin) -> None:
    report_id = report(gql, product, UserFactory()).payload("productReport")["report"]["id"]
    denied = gql(DISMISS, {"id": report_id}, user=khanh_hoa_admin)
    assert denied.error_codes("listingReportDismiss") == ["PERMISSION_DENIED"]
    result = gql(DISMISS, {"id": report_id}, user=lam_dong_admin).payload("listingReportDismiss")
    assert result["report"]["status"] == "DISMISSED"
    assert AuditEntry.objects.filter(action="listing_report.dismiss").exists()
    product.refresh_from_db()
    assert product.hidden_at is None
