"""Verified reviews through GraphQL: who may write, once per line, the seller's one reply, and
hiding by the province only (issue 21, "Done when")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.moderation.models import AuditEntry
from backend.orders.models import SellerOrder
from backend.regions.models import Province
from backend.reports.models import Alert, AlertKind
from backend.reports.services import evaluate_alerts
from backend.reviews.models import Review, ReviewRevision
from storefront_api.core.ids import global_id
from tests.checkout.helpers import make_shop
from tests.factories import UserFactory, add_staff
from tests.reviews.helpers import (
    PRODUCT_REVIEWS,
    REVIEW_CREATE,
    REVIEW_HIDE,
    REVIEW_REPLY,
    REVIEW_UPDATE,
    SELLER_REVIEWS,
    cod_order,
    deliver,
    delivered_line,
)

pytestmark = pytest.mark.django_db


def codes(result, name):
    return result.error_codes(name)


def write(gql, user, line, stars=5, text="Dâu ngọt, giao nhanh."):
    return gql(REVIEW_CREATE, {"line": global_id("OrderLine", line.pk), "stars": stars, "text": text}, user=user)


def test_a_buyer_who_did_not_receive_the_product_cannot_review_it(gql, shop, buyer) -> None:
    line = cod_order(shop, buyer).lines.get()
    result = write(gql, buyer, line)
    assert codes(result, "reviewCreate") == ["NOT_REVIEWABLE"]
    assert not Review.objects.exists()


def test_one_who_did_reviews_once_and_the_rating_follows(gql, shop, buyer) -> None:
    line = delivered_line(shop, buyer, quantity=3)
    first = write(gql, buyer, line, stars=4).payload("reviewCreate")
    assert first["errors"] == []
    review = first["review"]
    assert (review["stars"], review["authorName"], review["verifiedPurchase"]) == (4, "Lan N.", True)
    assert codes(write(gql, buyer, line, stars=1), "reviewCreate") == ["ALREADY_REVIEWED"]
    assert Review.objects.count() == 1

    product = gql(PRODUCT_REVIEWS, {"id": global_id("Product", shop.variant.product_id)}).data["product"]
    assert product["rating"]["count"] == 1 and product["rating"]["average"] == 4.0
    assert [s["count"] for s in product["rating"]["stars"]] == [0, 0, 0, 1, 0]
    assert product["soldCount"] == 3  # "đã bán": the delivered units
    assert product["seller"] == {"soldCount": 3, "rating": {"count": 1, "average": 4.0}}
    assert product["reviews"]["totalCount"] == 1
    seller = gql(SELLER_REVIEWS, {"id": global_id("Seller", shop.seller.pk)}).data["seller"]
    assert seller["rating"]["count"] == 1 and seller["reviews"]["edges"][0]["node"]["stars"] == 4


def test_someone_else_cannot_review_anothers_purchase(gql, shop, buyer) -> None:
    line = delivered_line(shop, buyer)
    assert codes(write(gql, UserFactory(), line), "reviewCreate") == ["PERMISSION_DENIED"]
    assert codes(write(gql, shop.staff, line), "reviewCreate") == ["PERMISSION_DENIED"]
    assert gql(REVIEW_CREATE, {"line": global_id("OrderLine", line.pk), "stars": 5}).error_codes("reviewCreate") == [
        "AUTHENTICATION_REQUIRED"
    ]
    assert not Review.objects.exists()


def test_stars_are_one_to_five(gql, shop, buyer) -> None:
    line = delivered_line(shop, buyer)
    for stars in (0, 6):
        result = write(gql, buyer, line, stars=stars).payload("reviewCreate")
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("stars", "INVALID")]
    assert not Review.objects.exists()


def test_reviews_close_after_the_window(gql, shop, buyer, settings) -> None:
    settings.REVIEW_WINDOW_DAYS = 30
    line = delivered_line(shop, buyer)
    SellerOrder.objects.filter(pk=line.seller_order_id).update(
        delivered_at=line.seller_order.delivered_at - timedelta(days=31)
    )
    assert codes(write(gql, buyer, line), "reviewCreate") == ["REVIEW_WINDOW_CLOSED"]


def test_the_seller_replies_once_publicly_and_no_one_else_can(gql, shop, buyer) -> None:
    review_id = write(gql, buyer, delivered_line(shop, buyer)).payload("reviewCreate")["review"]["id"]
    other = make_shop(name="HTX Cà Phê Cầu Đất")
    assert codes(gql(REVIEW_REPLY, {"id": review_id, "text": "Cảm ơn"}, user=other.staff), "reviewReply") == [
        "PERMISSION_DENIED"
    ]
    assert codes(gql(REVIEW_REPLY, {"id": review_id, "text": "Hay"}, user=buyer), "reviewReply") == [
        "PERMISSION_DENIED"
    ]
    staff = add_staff(shop.seller, role="STAFF")
    answer = gql(REVIEW_REPLY, {"id": review_id, "text": "Cảm ơn chị Lan!"}, user=staff).payload("reviewReply")
    assert answer["errors"] == [] and answer["review"]["reply"]["text"] == "Cảm ơn chị Lan!"
    again = gql(REVIEW_REPLY, {"id": review_id, "text": "Sửa lại"}, user=shop.staff)
    assert codes(again, "reviewReply") == ["ALREADY_REPLIED"]
    assert Review.objects.get().reply_text == "Cảm ơn chị Lan!"


def test_a_province_admin_hides_an_abusive_review_and_the_seller_cannot(
    gql, shop, buyer, lam_dong_admin, ha_noi_admin
) -> None:
    review_id = write(gql, buyer, delivered_line(shop, buyer), stars=1, text="đồ lừa đảo ***").payload("reviewCreate")[
        "review"
    ]["id"]
    hide = {"id": review_id, "reason": "ABUSE", "note": "chửi bới"}
    assert codes(gql(REVIEW_HIDE, hide, user=shop.staff), "reviewHide") == ["PERMISSION_DENIED"]
    assert codes(gql(REVIEW_HIDE, hide, user=ha_noi_admin), "reviewHide") == ["PERMISSION_DENIED"]
    assert Review.objects.get().hidden_at is None and not AuditEntry.objects.filter(action="review.hide").exists()

    hidden = gql(REVIEW_HIDE, hide, user=lam_dong_admin, lang="vi").payload("reviewHide")
    assert hidden["errors"] == []
    assert hidden["review"]["isHidden"] and hidden["review"]["text"] is None
    assert hidden["review"]["hiddenReason"] == "ABUSE"
    entry = AuditEntry.objects.get(action="review.hide")
    assert entry.actor == lam_dong_admin and "chửi bới" in entry.reason
    listed = gql(PRODUCT_REVIEWS, {"id": global_id("Product", shop.variant.product_id)}, lang="en").data["product"]
    node = listed["reviews"]["edges"][0]["node"]
    assert node["hiddenLabel"] == "Hidden by moderation: Abusive language" and node["text"] is None
    assert listed["rating"]["count"] == 1  # hiding is not a lever on the rating
    assert codes(gql(REVIEW_HIDE, hide, user=lam_dong_admin), "reviewHide") == ["INVALID_TRANSITION"]


def test_the_author_edits_within_the_window_and_the_history_is_kept(gql, shop, buyer, settings) -> None:
    review_id = write(gql, buyer, delivered_line(shop, buyer), stars=2, text="Hơi chua").payload("reviewCreate")[
        "review"
    ]["id"]
    edited = gql(REVIEW_UPDATE, {"id": review_id, "stars": 5, "text": "Lần sau ngọt hơn"}, user=buyer)
    assert edited.payload("reviewUpdate")["review"]["stars"] == 5
    assert edited.payload("reviewUpdate")["review"]["editedAt"]
    revision = ReviewRevision.objects.get()
    assert (revision.stars, revision.text) == (2, "Hơi chua")
    rating = gql(PRODUCT_REVIEWS, {"id": global_id("Product", shop.variant.product_id)}).data["product"]["rating"]
    assert rating["count"] == 1 and [s["count"] for s in rating["stars"]] == [0, 0, 0, 0, 1]
    assert codes(gql(REVIEW_UPDATE, {"id": review_id, "stars": 1}, user=shop.staff), "reviewUpdate") == [
        "PERMISSION_DENIED"
    ]
    Review.objects.update(created_at=Review.objects.get().created_at - timedelta(days=settings.REVIEW_EDIT_DAYS + 1))
    late = gql(REVIEW_UPDATE, {"id": review_id, "stars": 1}, user=buyer)
    assert codes(late, "reviewUpdate") == ["EDIT_WINDOW_CLOSED"]
    assert Review.objects.get().stars == 5


def test_one_account_per_phone_for_reviewing(gql, shop, buyer) -> None:
    assert write(gql, buyer, delivered_line(shop, buyer, phone="0912 345 678")).payload("reviewCreate")["errors"] == []
    second_account = UserFactory()
    line = delivered_line(shop, second_account, phone="+84912345678")  # the same number, written otherwise
    result = write(gql, second_account, line).payload("reviewCreate")
    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert "điện thoại" in result["errors"][0]["message"]
    assert Review.objects.count() == 1


def test_reviews_per_account_are_rate_limited(gql, shop, buyer, settings) -> None:
    settings.REVIEW_RATE_PER_HOUR = 2
    lines = [delivered_line(shop, buyer) for _ in range(3)]
    results = [codes(write(gql, buyer, line), "reviewCreate") for line in lines]
    assert results == [[], [], ["THROTTLED"]]


def test_a_seller_reviewing_itself_is_flagged(gql, shop) -> None:
    shop.seller.phone = "+84903111222"
    shop.seller.save(update_fields=["phone"])
    friend = UserFactory()
    line = delivered_line(shop, friend, phone="0903 111 222")  # the seller's own number
    assert write(gql, friend, line).payload("reviewCreate")["errors"] == []
    assert Review.objects.get().suspicion == "SELLER_PHONE"


def test_messages_are_vietnamese_first(gql, shop, buyer) -> None:
    line = cod_order(shop, buyer).lines.get()
    message = write(gql, buyer, line).payload("reviewCreate")["errors"][0]["message"]
    assert "Chỉ người mua" in message
    english = gql(REVIEW_CREATE, {"line": global_id("OrderLine", line.pk), "stars": 5}, user=buyer, lang="en")
    assert english.payload("reviewCreate")["errors"][0]["message"].startswith("Only a buyer")


def test_delivery_by_the_seller_counts_sold_units_once(shop, buyer) -> None:
    seller_order = deliver(shop, cod_order(shop, buyer, quantity=2))
    assert seller_order.delivered_at is not None
    shop.variant.product.refresh_from_db()
    assert shop.variant.product.sold_12m == 2


def test_early_warning_flags_bursts_of_reviews_and_sellers_reviewing_themselves(gql, shop, settings) -> None:
    settings.ALERT_REVIEW_BURST = 2
    lam_dong = Province.objects.get(slug="lam-dong")
    buyers = [UserFactory() for _ in range(3)]
    for i, b in enumerate(buyers):
        assert write(gql, b, delivered_line(shop, b, phone=f"091234560{i}")).payload("reviewCreate")["errors"] == []
    evaluate_alerts(province=lam_dong)
    burst = Alert.objects.get(kind=AlertKind.REVIEW_BURST, resolved_at__isnull=True)
    assert (burst.seller_id, burst.figure) == (shop.seller.pk, 3)
    assert not Alert.objects.filter(kind=AlertKind.SELF_REVIEW).exists()

    insider = add_staff(shop.seller, role="STAFF")  # the seller's own staff buys and reviews
    assert (
        write(gql, insider, delivered_line(shop, insider, phone="0987654321")).payload("reviewCreate")["errors"] == []
    )
    assert Review.objects.get(author=insider).suspicion == "SELLER_STAFF"
    evaluate_alerts(province=lam_dong)
    flagged = Alert.objects.get(kind=AlertKind.SELF_REVIEW, resolved_at__isnull=True)
    assert (flagged.seller_id, flagged.figure) == (shop.seller.pk, 1)


REVIEW_REPORT = """mutation($id: ID!, $note: String) {
  reviewReport(id: $id, note: $note) { report { reason note status } errors { field code message } }
}"""


def test_reporting_a_review_reaches_the_province_as_a_listing_report(gql, shop, buyer) -> None:
    review_id = write(gql, buyer, delivered_line(shop, buyer), stars=1).payload("reviewCreate")["review"]["id"]
    reader = UserFactory()
    answer = gql(REVIEW_REPORT, {"id": review_id, "note": "có số điện thoại"}, user=reader, lang="vi")
    report = answer.payload("reviewReport")["report"]
    pk = Review.objects.get().pk
    assert (report["reason"], report["status"]) == ("REVIEW", "OPEN")
    assert report["note"] == f"Đánh giá #{pk}: có số điện thoại"
    assert gql(REVIEW_REPORT, {"id": review_id}).error_codes("reviewReport") == ["AUTHENTICATION_REQUIRED"]
