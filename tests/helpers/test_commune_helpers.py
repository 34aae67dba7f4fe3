"""Commune helpers, issue 22's third "done when": a helper registers a household (OTP consent on the
household's phone), lists a product, confirms an order and records the cash; cannot see payouts or act
in another commune; the seller sees every act and revokes the helper."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope, User
from backend.accounts.otp import InvalidCode
from backend.accounts.permissions import Act, may
from backend.catalog import services as catalog_services
from backend.catalog.services import ProductData
from backend.core.errors import PermissionDenied
from backend.helpers import selectors, services
from backend.helpers.models import HelperAct, HelperGrant
from backend.orders import services as order_services
from backend.orders.models import SellerOrder
from backend.sellers.models import MembershipRole, SellerKind, SellerStatus
from backend.sellers.permissions import seller_place
from backend.sellers.services import seller_approve
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, make_shop
from tests.factories import DA_LAT_LAM_VIEN, CategoryFactory, UserFactory, commune
from tests.notifications.helpers import last_code, sandbox
from tests.outbox.helpers import place_order
from tests.sellers.identity_kit import ready_for_approval

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]
HOUSEHOLD_PHONE = "+84987000111"


@pytest.fixture
def officer(regions: Any) -> User:
    user = UserFactory()
    ProvinceAdminScope.objects.create(user=user, province=commune(DA_LAT_LAM_VIEN).province)
    return user


@pytest.fixture
def helper(officer: User) -> User:
    user = UserFactory(full_name="Tổ CNS Lâm Viên")
    services.helper_appoint(actor=officer, user=user, communes=[commune(DA_LAT_LAM_VIEN)])
    return user


def _register(helper: User, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        services.household_consent_request(
            helper=helper, commune=commune(DA_LAT_LAM_VIEN), phone="0987 000 111", ip="10.0.0.1"
        )
    return services.household_register(
        helper=helper,
        commune=commune(DA_LAT_LAM_VIEN),
        name="Hộ bà Hoa",
        phone="0987000111",
        code=last_code(HOUSEHOLD_PHONE),
        ip="10.0.0.1",
    )


def test_helper_registers_a_household_with_its_consent_and_lists_a_product(
    helper: User, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    seller = _register(helper, django_capture_on_commit_callbacks)
    assert seller.kind == SellerKind.HOUSEHOLD and seller.status == SellerStatus.PENDING
    owner = seller.memberships.get(role=MembershipRole.OWNER).user
    assert owner.phone == HOUSEHOLD_PHONE and owner.phone_verified and owner.email is None and owner != helper
    assert HelperGrant.objects.get(seller=seller).consent_phone == HOUSEHOLD_PHONE
    seller_approve(seller=ready_for_approval(seller), actor=officer)

    product = catalog_services.product_create(
        seller=seller, actor=helper, data=ProductData(name="Cà phê Arabica", category=CategoryFactory(), kind="GOODS")
    )
    assert product.seller == seller
    acts = list(selectors.acts_for_seller(seller=seller, viewer=owner).values_list("helper", "act"))
    assert acts == [(helper.pk, "product.edit"), (helper.pk, "helper.household.register")]
    counts = selectors.helper_counts(province=seller.commune.province, viewer=officer)
    assert [(c.helper, c.sellers_onboarded, c.products_listed) for c in counts] == [("Tổ CNS Lâm Viên", 1, 1)]


def test_a_wrong_consent_code_registers_nothing(helper: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.household_consent_request(
            helper=helper, commune=commune(DA_LAT_LAM_VIEN), phone=HOUSEHOLD_PHONE, ip=None
        )
    wrong = "000000" if last_code(HOUSEHOLD_PHONE) != "000000" else "111111"
    with pytest.raises(InvalidCode):
        services.household_register(
            helper=helper, commune=commune(DA_LAT_LAM_VIEN), name="Hộ X", phone=HOUSEHOLD_PHONE, code=wrong, ip=None
        )
    assert not HelperGrant.objects.exists()


def test_helper_confirms_an_order_and_records_cash_but_never_sees_money(
    helper: User, gql: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shop = make_shop(stock=5)  # a seller of Lâm Viên that granted the helper
    HelperGrant.objects.create(
        helper=helper, seller=shop.seller, consent_phone=HOUSEHOLD_PHONE, consent_at=shop.seller.created_at
    )
    answer = place_order(gql, shop)
    seller_order = SellerOrder.objects.get(order__number=answer["data"]["checkoutComplete"]["order"]["number"])

    order_services.seller_order_confirm(seller_order=seller_order, actor=helper)
    order_services.cod_record(seller_order=seller_order, actor=helper, status="IN_TRANSIT")
    order_services.cod_record(seller_order=seller_order, actor=helper, status="COLLECTED")
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.cod_status) == ("CONFIRMED", "COLLECTED")
    assert list(HelperAct.objects.filter(seller=shop.seller).order_by("id").values_list("act", flat=True)) == [
        "seller_order.handle",
        "cod.delivery",
        "cod.collect.own",
    ]

    place = seller_place(shop.seller)
    assert not may(helper, Act.SELLER_BALANCE_VIEW, place) and not may(helper, Act.SELLER_PAYOUT, place)
    assert not may(helper, Act.SELLER_STAFF_INVITE, place) and not may(helper, Act.SELLER_DOCUMENT_UPLOAD, place)
    balance = gql(
        "query($s: ID!) { sellerBalance(seller: $s) { balance { amount } } }",
        {"s": global_id("Seller", shop.seller.pk)},
        user=helper,
    )
    assert balance.json["data"]["sellerBalance"] is None
    with pytest.raises(PermissionDenied):
        order_services.payout_record(seller=shop.seller, actor=helper, reference="CK")


def test_helper_acts_only_inside_its_communes(helper: User) -> None:
    elsewhere = make_shop(commune_code=OTHER_DA_LAT_COMMUNE)
    HelperGrant.objects.create(
        helper=helper, seller=elsewhere.seller, consent_phone=HOUSEHOLD_PHONE, consent_at=elsewhere.seller.created_at
    )
    with pytest.raises(PermissionDenied):
        catalog_services.product_unpublish(product=elsewhere.variant.product, actor=helper)
    with pytest.raises(PermissionDenied):
        services.household_consent_request(
            helper=helper, commune=commune(OTHER_DA_LAT_COMMUNE), phone=HOUSEHOLD_PHONE, ip=None
        )
    assert not HelperAct.objects.exists()


def test_the_seller_revokes_the_helper(helper: User) -> None:
    shop = make_shop()
    HelperGrant.objects.create(
        helper=helper, seller=shop.seller, consent_phone=HOUSEHOLD_PHONE, consent_at=shop.seller.created_at
    )
    catalog_services.product_unpublish(product=shop.variant.product, actor=helper)
    with pytest.raises(PermissionDenied):
        services.helper_revoke(actor=helper, seller=shop.seller, helper=helper)  # only the owner
    services.helper_revoke(actor=shop.staff, seller=shop.seller, helper=helper)
    with pytest.raises(PermissionDenied):
        catalog_services.product_publish(product=shop.variant.product, actor=helper)
    assert [a.act for a in selectors.acts_for_seller(seller=shop.seller, viewer=shop.staff)] == ["product.edit"]
    assert list(selectors.households_of(helper=helper)) == []


def test_only_an_officer_covering_the_commune_appoints(regions: Any) -> None:
    nobody = UserFactory()
    with pytest.raises(PermissionDenied):
        services.helper_appoint(actor=nobody, user=UserFactory(), communes=[commune(DA_LAT_LAM_VIEN)])


def test_a_phone_only_household_hears_of_its_approval_on_zalo(
    helper: User, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    from backend.notifications.models import SandboxMessage

    seller = _register(helper, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        seller_approve(seller=ready_for_approval(seller), actor=officer)
    message = SandboxMessage.objects.get(kind="seller.application_approved")
    assert message.address == HOUSEHOLD_PHONE and message.channel_id == "sandbox_zalo"
    assert "Hộ bà Hoa" in message.text
