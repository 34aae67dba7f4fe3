"""Personal data rights end to end: consents, download my data, delete my account (ledger kept), retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from backend.accounts.models import User
from backend.legal.documents import PRIVACY_NOTICE
from backend.legal.models import Consent
from backend.orders import ledger
from backend.orders import services as order_services
from backend.orders.models import LedgerEntry, LedgerKind, Order
from backend.privacy.models import DataRequest
from backend.privacy.services import enforce_retention
from backend.sellers.models import IdentityVerification
from tests.checkout.helpers import make_shop
from tests.factories import SellerFactory, UserFactory
from tests.orders.test_services_smoke import _ready_checkout

pytestmark = pytest.mark.django_db

REGISTER = """
mutation R($email: String!, $password: String!) {
  accountRegister(input: {email: $email, password: $password}) { errors { field code } }
}
"""
CONSENTS = "{ myConsents { purpose noticeVersion channel withdrawnAt } }"
GRANT = "mutation G($p: String!) { consentGrant(purpose: $p) { consents { purpose withdrawnAt } errors { code } } }"
WITHDRAW = (
    "mutation W($p: String!) { consentWithdraw(purpose: $p) { consents { purpose withdrawnAt } errors { code } } }"
)
DELETE = "mutation D($p: String!) { accountDelete(password: $p) { deleted errors { field code message } } }"
PASSWORD = "Mat-khau-rat-dai-2026"


def test_consents_are_recorded_per_purpose_and_withdrawable(gql) -> None:
    assert gql(REGISTER, {"email": "an@example.vn", "password": PASSWORD}).payload("accountRegister")["errors"] == []
    user = User.objects.get(email="an@example.vn")
    assert gql(CONSENTS, user=user).data["myConsents"] == [
        {"purpose": "ACCOUNT", "noticeVersion": PRIVACY_NOTICE.version, "channel": "API", "withdrawnAt": None}
    ]  # no marketing consent from silence
    granted = gql(GRANT, {"p": "MARKETING"}, user=user).payload("consentGrant")["consents"]
    assert {c["purpose"] for c in granted} == {"ACCOUNT", "MARKETING"}
    withdrawn = gql(WITHDRAW, {"p": "MARKETING"}, user=user).payload("consentWithdraw")["consents"]
    marketing = [c for c in withdrawn if c["purpose"] == "MARKETING"]
    assert len(marketing) == 1 and marketing[0]["withdrawnAt"] is not None
    assert gql(GRANT, {"p": "SELLING_MY_DATA"}, user=user).payload("consentGrant")["errors"] == [{"code": "INVALID"}]


def _buyer_with_an_order(regions):
    buyer = UserFactory(email="khach@example.vn", full_name="Trần Thị Bình", phone="+84903000111")
    buyer.set_password(PASSWORD)
    buyer.save()
    shop = make_shop(price=100_000)
    checkout = _ready_checkout([shop])
    order = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=buyer).order
    seller_order = order.seller_orders.get()
    LedgerEntry.objects.create(seller=shop.seller, seller_order=seller_order, kind=LedgerKind.SALE, amount=200_000)
    LedgerEntry.objects.create(
        seller=shop.seller, seller_order=seller_order, kind=LedgerKind.COMMISSION, amount=-10_000
    )
    return buyer, shop, order


def test_download_my_data_holds_the_account_consents_and_orders(gql, regions) -> None:
    buyer, _shop, order = _buyer_with_an_order(regions)
    data = json.loads(gql("{ myData }", user=buyer).data["myData"])
    assert data["account"]["email"] == "khach@example.vn"
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert {c["purpose"] for c in data["consents"]} == {"ORDER_FULFILMENT"}
    assert DataRequest.objects.get(user=buyer).status == "DONE"
    assert gql("{ myData }").errors  # anonymous: nothing


def test_deleting_the_account_keeps_orders_and_the_ledger_balanced(gql, client, regions) -> None:
    buyer, shop, order = _buyer_with_an_order(regions)
    before = (ledger.balance(seller=shop.seller), LedgerEntry.objects.count())
    wrong = gql(DELETE, {"p": "sai"}, user=buyer).payload("accountDelete")
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [("password", "INVALID")]
    assert gql(DELETE, {"p": PASSWORD}, user=buyer).payload("accountDelete") == {"deleted": True, "errors": []}

    buyer.refresh_from_db()
    assert not buyer.is_active and buyer.email.endswith("@deleted.invalid") and buyer.full_name == buyer.phone == ""
    order.refresh_from_db()
    assert (
        order.user_id is None and order.email == "" and order.phone == "" and order.full_name == f"deleted-{buyer.pk}"
    )
    assert order.total == 200_000 and order.seller_orders.count() == 1
    assert (ledger.balance(seller=shop.seller), LedgerEntry.objects.count()) == before
    assert not Consent.objects.filter(user=buyer, withdrawn_at__isnull=True).exists()
    assert not Order.objects.filter(email="khach@example.vn").exists()
    assert not client.login(email="khach@example.vn", password=PASSWORD)


def test_overdue_requests_are_visible_to_the_platform_only(gql, regions) -> None:
    late = DataRequest.objects.create(kind="DELETE", due_at=timezone.now() - timedelta(hours=1))
    DataRequest.objects.create(kind="EXPORT", due_at=timezone.now() + timedelta(hours=70))
    staff = UserFactory(is_platform_staff=True)
    query = "{ overdueDataRequests { kind status } }"
    assert gql(query, user=staff).data["overdueDataRequests"] == [{"kind": "DELETE", "status": "OPEN"}]
    assert gql(query, user=UserFactory()).data["overdueDataRequests"] is None
    assert late.due_at < timezone.now()


def test_retention_removes_old_card_photos_and_abandoned_cart_contacts(regions, settings, tmp_path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    verification = IdentityVerification.objects.create(
        seller=SellerFactory(),
        provider="manual",
        status="VERIFIED",
        claimed_full_name="A",
        decided_at=timezone.now() - timedelta(days=settings.RETENTION_IDENTITY_PHOTOS_DAYS + 1),
    )
    verification.front_photo.save("f.png", ContentFile(b"png"), save=False)
    verification.back_photo.save("b.png", ContentFile(b"png"), save=True)
    recent = IdentityVerification.objects.create(
        seller=verification.seller,
        provider="manual",
        status="VERIFIED",
        claimed_full_name="A",
        decided_at=timezone.now(),
    )
    recent.front_photo.save("f.png", ContentFile(b"png"), save=True)
    assert enforce_retention()["identity_photos"] == 2
    verification.refresh_from_db()
    recent.refresh_from_db()
    assert not verification.front_photo and not verification.back_photo and recent.front_photo


def test_the_account_page_withdraws_downloads_and_deletes(client, regions) -> None:
    buyer, _shop, order = _buyer_with_an_order(regions)
    client.force_login(buyer)
    assert client.post("/account/privacy/consent/grant", {"purpose": "MARKETING"}).status_code == 302
    page = client.get("/account/privacy/").content.decode()
    assert 'data-consent="MARKETING"' in page and 'data-consent="ORDER_FULFILMENT"' in page
    client.post("/account/privacy/consent/withdraw", {"purpose": "MARKETING"})
    assert Consent.objects.get(user=buyer, purpose="MARKETING").withdrawn_at is not None
    readable = client.get("/account/privacy/my-data.html").content.decode()
    assert order.number in readable and "Trần Thị Bình" in readable
    as_json = json.loads(client.get("/account/privacy/my-data.json").content)
    assert as_json["account"]["phone"] == "+84903000111"
    assert client.post("/account/privacy/delete", {"password": PASSWORD}).status_code == 302
    buyer.refresh_from_db()
    assert not buyer.is_active
