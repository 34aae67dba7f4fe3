"""One marketplace with every role, built once per test module (see `world` in conftest.py).

A cooperative in Lâm Viên (Đà Lạt) with an owner and a staff member, a product, a pending and a
suspended seller beside it, cash-on-delivery orders in every state the money acts need, a document,
a certification, a listing report and an experience slot with a booking; and one user per role
around it: buyers, another seller's staff, province admins of the whole province, of the seller's
commune, of another commune and of another province, a province operator, platform staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backend.accounts.models import ProvinceAdminScope, User
from backend.catalog.models import Certification, Product, ProductVariant
from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.experiences.models import Booking, Slot, Ticket
from backend.helpers.models import HelperAppointment, HelperGrant
from backend.moderation.models import ListingReport
from backend.moderation.reports import listing_report_create
from backend.orders import services as order_services
from backend.orders.models import SellerOrder
from backend.orders.payments import order_refund
from backend.regions.models import Commune, Province
from backend.reports.selectors import ProvinceDashboard, province_dashboard
from backend.reviews.models import Review
from backend.reviews.services import review_create
from backend.sellers.models import MembershipRole, Seller, SellerDocument, SellerStatus
from backend.sellers.services import seller_document_upload
from tests.checkout.helpers import CARRIER, OTHER_DA_LAT_COMMUNE, OWN, Shop, make_shop
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book
from tests.factories import DA_LAT_LAM_VIEN, SellerFactory, UserFactory, add_staff, commune
from tests.sellers.identity_kit import mark_verified

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

ACTORS = (
    "anonymous",
    "buyer",
    "order buyer",
    "seller owner",
    "seller staff",
    "other seller staff",
    "province admin",
    "commune admin",
    "other commune admin",
    "other province admin",
    "province operator",
    "platform staff",
    "commune helper",
    "other commune helper",
)


@dataclass
class World:
    lam_dong: Province
    seller_commune: Commune
    shop: Shop
    seller: Seller
    product: Product
    variant: ProductVariant
    pending_seller: Seller
    suspended_seller: Seller
    orders: dict[str, SellerOrder]
    document: SellerDocument
    certification: Certification
    report: ListingReport
    experience: Product
    slot: Slot
    booking: Booking
    ticket: Ticket
    dashboard: ProvinceDashboard
    review: Review
    actors: dict[str, Any] = field(default_factory=dict)


def _scope(user: User, province: Province, *communes: Commune) -> User:
    scope = ProvinceAdminScope.objects.create(user=user, province=province)
    scope.communes.set(communes)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _cod_order(shop: Shop, buyer: User, kind: str) -> SellerOrder:
    checkout = checkout_services.checkout_create(user=buyer, lines=[LineInput(variant_id=shop.variant.pk, quantity=1)])
    address = AddressData(
        full_name="Trần Thị B", phone="0912345678", street="12 Nguyễn Trãi", commune_id=commune(OTHER_DA_LAT_COMMUNE).pk
    )
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=address)
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(kind).pk
    )
    return order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=buyer).order.seller_orders.get()


def _in_transit(shop: Shop, buyer: User, kind: str) -> SellerOrder:
    seller_order = _cod_order(shop, buyer, kind)
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff)
    return seller_order


def _orders(shop: Shop, buyer: User, platform: User) -> dict[str, SellerOrder]:
    orders = {
        "pending": _cod_order(shop, buyer, OWN),
        "own in transit": _in_transit(shop, buyer, OWN),
        "carrier in transit": _in_transit(shop, buyer, CARRIER),
    }
    for name in ("collected", "remitted", "refund pending"):
        orders[name] = _in_transit(shop, buyer, OWN)
        order_services.cod_record(seller_order=orders[name], actor=shop.staff, status="COLLECTED")
    order_services.cod_record(seller_order=orders["remitted"], actor=platform, status="REMITTED")
    order_refund(seller_order=orders["refund pending"], actor=platform, amount=None, reason="hàng hỏng")
    for seller_order in orders.values():
        seller_order.refresh_from_db()
    return orders


def _helper(seller: Seller, province: Province, commune_: Commune) -> User:
    user = UserFactory()
    appointment = HelperAppointment.objects.create(user=user, province=province)
    appointment.communes.set([commune_])
    HelperGrant.objects.create(helper=user, seller=seller, consent_phone=seller.phone, consent_at=seller.created_at)
    return user


def build_world() -> World:
    """Every object the permission table needs (call inside a transaction that is rolled back)."""
    lam_dong, ha_noi = Province.objects.get(slug="lam-dong"), Province.objects.get(slug="ha-noi")
    seller_commune, other_commune = commune(DA_LAT_LAM_VIEN), commune(OTHER_DA_LAT_COMMUNE)
    shop = make_shop(price=100_000, stock=50, name="HTX Dâu Tây Lâm Viên")
    staff = add_staff(shop.seller, role=MembershipRole.STAFF)
    other_shop = make_shop(name="HTX Cà Phê Xuân Hương", commune_code=OTHER_DA_LAT_COMMUNE)
    buyer, order_buyer = UserFactory(), UserFactory()
    platform = UserFactory(is_platform_staff=True, is_staff=True)
    actors: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "buyer": buyer,
        "order buyer": order_buyer,
        "seller owner": shop.staff,
        "seller staff": staff,
        "other seller staff": other_shop.staff,
        "province admin": _scope(UserFactory(), lam_dong),
        "commune admin": _scope(UserFactory(), lam_dong, seller_commune),
        "other commune admin": _scope(UserFactory(), lam_dong, other_commune),
        "other province admin": _scope(UserFactory(), ha_noi),
        # An admin of the whole province; the tests list Lâm Đồng in PLATFORM_OPERATOR_PROVINCES
        # only while this actor is the one tried.
        "province operator": _scope(UserFactory(), lam_dong),
        "platform staff": platform,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        # Both granted by the seller; only the first is appointed for the seller's commune.
        "commune helper": _helper(shop.seller, lam_dong, seller_commune),
        "other commune helper": _helper(shop.seller, lam_dong, other_commune),
    }
    orders = _orders(shop, order_buyer, platform)
    document = seller_document_upload(
        seller=shop.seller, actor=shop.staff, kind="BUSINESS_REGISTRATION", file=SimpleUploadedFile("dkkd.pdf", PDF)
    )
    tour = make_tour(seller=shop.seller)
    slot = tour.slot(days=10)
    with override_settings(DEBUG=True):  # the sandbox gateway
        checkout = book(slot=slot, adults=1, user=order_buyer)
        order = order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=order_buyer).order
    booking = Booking.objects.get(order=order)
    # The remitted order was delivered (its cash collected): reviewed by its buyer; the collected one
    # stays for the review.write attempts.
    review = review_create(line=orders["remitted"].lines.get(), actor=order_buyer, stars=2, text="Hơi dập")
    return World(
        lam_dong=lam_dong,
        seller_commune=seller_commune,
        shop=shop,
        seller=shop.seller,
        product=shop.variant.product,
        variant=shop.variant,
        pending_seller=mark_verified(
            SellerFactory(
                status=SellerStatus.PENDING,
                commune=seller_commune,
                tax_code="5800123458",
                business_registration_no="5800123458",
            )
        ),
        suspended_seller=SellerFactory(status=SellerStatus.SUSPENDED, commune=seller_commune),
        orders=orders,
        document=document,
        certification=Certification.objects.create(product=shop.variant.product, kind="VIETGAP", number="VG-1"),
        report=listing_report_create(reporter=buyer, product=shop.variant.product, reason="MISLEADING_PRICE"),
        experience=tour.product,
        slot=slot,
        booking=booking,
        ticket=Ticket.objects.get(booking=booking),
        dashboard=province_dashboard(province=lam_dong, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)),
        review=review,
        actors=actors,
    )
