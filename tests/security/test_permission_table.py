"""docs/permissions.md is the permission table: it equals the code's `RULES`, every row's roles may
do the act at its place, and every other role is refused by the real service or endpoint (and
nothing changes), including an admin of another province and an admin scoped to another commune."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from backend.accounts.permissions import RULES, Act, Place, Role, may, place_of
from backend.accounts.tokens import access_token_for
from backend.catalog import certifications
from backend.catalog import services as catalog_services
from backend.catalog.services import VariantData
from backend.core.errors import PermissionDenied
from backend.experiences import bookings
from backend.experiences import services as experience_services
from backend.helpers import services as helper_services
from backend.helpers.models import HelperAppointment, HelperGrant
from backend.moderation import reports as moderation
from backend.moderation import takedowns
from backend.moderation.models import AuditEntry
from backend.orders import bookings as order_bookings
from backend.orders import services as order_services
from backend.orders.models import LedgerEntry, Refund, SellerOrder
from backend.orders.payments import order_refund
from backend.reports.exports import dashboard_export
from backend.reports.imports import import_sellers
from backend.reports.selectors import province_for_viewer
from backend.reviews import services as reviews
from backend.reviews.models import Review
from backend.sellers import identity
from backend.sellers import services as seller_services
from backend.sellers.documents import document_link
from backend.sellers.models import IdentityVerification, Seller
from backend.sellers.permissions import seller_place
from backend.tax import selectors as tax_selectors
from backend.tax import services as tax_services
from storefront_api.core.ids import global_id
from tests.security.world import ACTORS, PDF, World
from tests.sellers.identity_kit import BIRTH, CCCD, photo

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROW = re.compile(r"^\| `(?P<act>[a-z_.]+)` \| (?P<roles>[^|]+) \|", re.MULTILINE)
# Acts on a whole province: an admin of any of its communes may. An import is checked row by row
# against the commune of each row (here the seller's).
PROVINCE_WIDE = {Act.PROVINCE_DASHBOARD, Act.PROVINCE_EXPORT, Act.TAX_DECLARATION_VIEW, Act.TAX_PERIOD_CLOSE}


def documented() -> dict[str, frozenset[str]]:
    return {m["act"]: frozenset(r.strip() for r in m["roles"].split(",")) for m in ROW.finditer(TABLE.read_text())}


def test_the_documented_table_is_the_code_table() -> None:
    in_code = {str(act): frozenset(str(role) for role in roles) for act, roles in RULES.items()}
    assert documented() == in_code


def actors_allowed(act: Act) -> set[str]:
    """The actors of the world holding one of the act's roles at its place (superusers always)."""
    holders: dict[Role, set[str]] = {
        Role.PLATFORM_STAFF: {"platform staff"},
        Role.PROVINCE_OPERATOR: {"province operator"},
        Role.PROVINCE_ADMIN: {"province admin", "commune admin", "province operator"}
        | ({"other commune admin"} if act in PROVINCE_WIDE else set()),
        Role.SELLER_OWNER: {"seller owner"},
        Role.SELLER_STAFF: {"seller owner", "seller staff"},
        Role.COMMUNE_HELPER: {"commune helper"},
        Role.BUYER: {"order buyer"},
        Role.SIGNED_IN: set(ACTORS) - {"anonymous"},
    }
    return {"superuser"}.union(*(holders[role] for role in RULES[act]))


def place(w: World, act: Act) -> Place:
    if act in PROVINCE_WIDE:
        return place_of(province=w.lam_dong)
    if act in {Act.PROVINCE_IMPORT, Act.HELPER_HOUSEHOLD_REGISTER, Act.HELPER_APPOINT}:
        return place_of(commune=w.seller_commune)
    if act == Act.BOOKING_CANCEL:
        return seller_place(w.seller, buyer_id=w.booking.order.user_id)
    if act == Act.REVIEW_WRITE:
        return seller_place(w.seller, buyer_id=w.orders["collected"].order.user_id)
    if act in {Act.SELLER_APPROVE, Act.SELLER_REJECT}:
        return seller_place(w.pending_seller)
    return seller_place(w.seller)


# --- one attempt per act, through the real service or endpoint ---------------------------------


def _document(w: World, actor: Any) -> None:
    client = Client()
    if getattr(actor, "is_authenticated", False):
        client.force_login(actor)
    answer = client.get(f"/sellers/documents/{w.document.pk}")
    if answer.status_code == 404:
        raise PermissionDenied()
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF


def _as(actor: Any, w: World, query: str) -> dict[str, Any]:
    """`query` about the world's seller, sent to /graphql/ with the actor's token (if signed in)."""
    headers = {"Authorization": f"Bearer {access_token_for(actor)}"} if actor.is_authenticated else {}
    variables = {"s": global_id("Seller", w.seller.pk)}
    answer: dict[str, Any] = (
        Client().post("/graphql/", {"query": query, "variables": variables}, "application/json", headers=headers).json()
    )
    return answer


def _seller_orders(w: World, actor: Any) -> None:
    answer = _as(actor, w, "query($s: ID!) { sellerOrders(seller: $s, first: 5) { totalCount } }")
    if answer.get("errors"):
        assert answer["errors"][0]["extensions"]["code"] in {"PERMISSION_DENIED", "AUTHENTICATION_REQUIRED"}
        raise PermissionDenied()


def _balance(w: World, actor: Any) -> None:
    answer = _as(actor, w, "query($s: ID!) { sellerBalance(seller: $s) { balance { amount } } }")
    if answer["data"]["sellerBalance"] is None:
        raise PermissionDenied()


def _import(w: World, actor: Any) -> None:
    row = f"type,name,kind,commune,phone\nseller,HTX Nhập Mới,HTX,{w.seller_commune.code},0903999888\n"
    report = import_sellers(actor=actor, file_name="x.csv", content=row.encode(), commit=True)
    if report.sellers_created == 0:
        assert [p.column for p in report.problems] == ["commune"], report.problems
        raise PermissionDenied()


def _later(days: int = 20) -> datetime:
    return timezone.localtime() + timedelta(days=days)


SO = Callable[[World], SellerOrder]


def _cod(name: str, status: str) -> Callable[[World, Any], Any]:
    return lambda w, a: order_services.cod_record(seller_order=w.orders[name], actor=a, status=status)


def _identity_submit(w: World, actor: Any) -> Any:
    return identity.identity_verification_start(
        seller=w.seller,
        actor=actor,
        provider_id="manual",
        full_name="Nguyễn Văn An",
        birth_date=BIRTH,
        id_number=CCCD,
        front_photo=photo("front.png"),
        back_photo=photo("back.png"),
    )


def _identity_review(w: World, actor: Any) -> Any:
    pending, _created = IdentityVerification.objects.get_or_create(
        seller=w.seller, provider="manual", status="PENDING", defaults={"claimed_full_name": "Nguyễn Văn An"}
    )
    return identity.identity_verification_review(verification=pending, actor=actor, approve=False, reason="OTHER")


ATTEMPTS: dict[Act, Callable[[World, Any], Any]] = {
    Act.SELLER_APPLY: lambda w, a: seller_services.seller_apply(
        applicant=a, name="HTX Mới", kind="COOPERATIVE", commune=w.seller_commune, phone="0903123456"
    ),
    Act.SELLER_APPROVE: lambda w, a: seller_services.seller_approve(seller=w.pending_seller, actor=a),
    Act.SELLER_REJECT: lambda w, a: seller_services.seller_reject(seller=w.pending_seller, actor=a, reason="thiếu"),
    Act.SELLER_SUSPEND: lambda w, a: seller_services.seller_suspend(seller=w.seller, actor=a, reason="vi phạm"),
    Act.SELLER_REINSTATE: lambda w, a: seller_services.seller_reinstate(seller=w.suspended_seller, actor=a),
    Act.SELLER_STAFF_INVITE: lambda w, a: seller_services.seller_staff_invite(
        seller=w.seller, actor=a, email="moi@example.vn"
    ),
    Act.SELLER_HOUSEHOLD_ADD: lambda w, a: seller_services.seller_household_add(
        seller=w.seller, actor=a, name="Hộ Nguyễn Văn A", commune=w.seller_commune
    ),
    Act.SELLER_DOCUMENT_UPLOAD: lambda w, a: seller_services.seller_document_upload(
        seller=w.seller, actor=a, kind="FOOD_SAFETY_CERTIFICATE", file=SimpleUploadedFile("attp.pdf", PDF)
    ),
    Act.SELLER_DOCUMENT_VIEW: _document,
    Act.SELLER_IDENTITY_SUBMIT: _identity_submit,
    Act.TAKEDOWN_RECORD: lambda w, a: takedowns.takedown_record(
        actor=a,
        authority="Sở Công Thương",
        document_number="1/SCT",
        document_date=BIRTH,
        products=[w.product],
        reason="hàng giả",
    ),
    Act.SELLER_IDENTITY_REVIEW: _identity_review,
    Act.SELLER_COMMISSION_SET: lambda w, a: seller_services.seller_commission_set(
        seller=w.seller, actor=a, rate_bp=800, reason="hợp đồng mới"
    ),
    Act.SELLER_PAYOUT: lambda w, a: order_services.payout_record(seller=w.seller, actor=a, reference="CK 1"),
    Act.SELLER_PRIVATE_VIEW: _seller_orders,
    Act.SELLER_BALANCE_VIEW: _balance,
    Act.PRODUCT_EDIT: lambda w, a: catalog_services.product_unpublish(product=w.product, actor=a),
    Act.PRODUCT_STOCK: lambda w, a: catalog_services.variant_update(
        variant=w.variant,
        actor=a,
        data=VariantData(sku=w.variant.sku, name=w.variant.name, price=1, stock=999),
    ),
    Act.CERTIFICATION_ADD: lambda w, a: certifications.certification_add(product=w.product, actor=a, kind="ORGANIC"),
    Act.CERTIFICATION_VERIFY: lambda w, a: certifications.certification_verify(
        certification=w.certification, actor=a, verified=True
    ),
    Act.PRODUCT_HIDE: lambda w, a: moderation.product_hide(actor=a, product=w.product, reason="giả mạo"),
    Act.LISTING_REPORT: lambda w, a: moderation.listing_report_create(
        reporter=a, product=w.product, reason="WRONG_ORIGIN"
    ),
    Act.LISTING_REPORT_DISMISS: lambda w, a: moderation.listing_report_dismiss(actor=a, report=w.report),
    Act.SELLER_ORDER_HANDLE: lambda w, a: order_services.seller_order_confirm(
        seller_order=w.orders["pending"], actor=a
    ),
    Act.SELLER_ORDER_CANCEL: lambda w, a: order_services.seller_order_cancel(
        seller_order=w.orders["pending"], actor=a, reason="hết hàng"
    ),
    Act.ORDER_REFUND: lambda w, a: order_refund(seller_order=w.orders["collected"], actor=a, amount=None, reason="x"),
    Act.COD_DELIVERY: _cod("own in transit", "DELIVERY_FAILED"),
    Act.COD_COLLECT_OWN: _cod("own in transit", "COLLECTED"),
    Act.COD_COLLECT_CARRIER: _cod("carrier in transit", "COLLECTED"),
    Act.COD_REMIT: _cod("collected", "REMITTED"),
    Act.COD_SETTLE: _cod("remitted", "SETTLED"),
    Act.COD_REFUND: _cod("refund pending", "REFUNDED"),
    Act.EXPERIENCE_EDIT: lambda w, a: experience_services.slot_create(
        product=w.experience, actor=a, starts_at=_later()
    ),
    Act.SLOT_CANCEL: lambda w, a: order_bookings.slot_cancel(slot=w.slot, actor=a, reason="mưa bão"),
    Act.BOOKING_CANCEL: lambda w, a: order_bookings.booking_cancel(booking=w.booking, actor=a),
    Act.BOOKING_NO_SHOW: lambda w, a: bookings.booking_no_show(booking=w.booking, actor=a),
    Act.TICKET_CHECK_IN: lambda w, a: bookings.ticket_check_in(code=w.ticket.code, actor=a),
    Act.REVIEW_WRITE: lambda w, a: reviews.review_create(line=w.orders["collected"].lines.get(), actor=a, stars=5),
    Act.REVIEW_REPLY: lambda w, a: reviews.review_reply(review=w.review, actor=a, text="Cảm ơn"),
    Act.REVIEW_HIDE: lambda w, a: reviews.review_hide(review=w.review, actor=a, reason="ABUSE"),
    Act.PROVINCE_DASHBOARD: lambda w, a: province_for_viewer(user=a, key="lam-dong"),
    Act.PROVINCE_EXPORT: lambda w, a: dashboard_export(actor=a, dashboard=w.dashboard, fmt="csv"),
    Act.PROVINCE_IMPORT: _import,
    Act.HELPER_APPOINT: lambda w, a: helper_services.helper_appoint(
        actor=a, user=w.actors["buyer"], communes=[w.seller_commune]
    ),
    Act.HELPER_HOUSEHOLD_REGISTER: lambda w, a: helper_services.household_consent_request(
        helper=a, commune=w.seller_commune, phone="0987000111", ip=None
    ),
    Act.SELLER_HELPER_REVOKE: lambda w, a: helper_services.helper_revoke(
        actor=a, seller=w.seller, helper=w.actors["commune helper"]
    ),
    Act.TAX_DECLARATION_VIEW: lambda w, a: tax_selectors.monthly_declaration(
        actor=a, province=w.lam_dong, year=2026, month=1
    ),
    Act.TAX_PERIOD_CLOSE: lambda w, a: tax_services.tax_period_close(actor=a, province=w.lam_dong, year=2026, month=1),
    Act.TAX_STATEMENT_VIEW: lambda w, a: tax_selectors.seller_statement(actor=a, seller=w.seller, year=2026),
}


def test_every_act_has_an_attempt() -> None:
    assert set(ATTEMPTS) == set(Act)


def fingerprint(w: World) -> tuple[Any, ...]:
    """What any of the acts would change."""
    models = (AuditEntry, LedgerEntry, Refund, Seller, Review, *(type(o) for o in (w.document, w.certification)))
    live_grants = HelperGrant.objects.filter(revoked_at__isnull=True).count()
    counts = (*(model.objects.count() for model in models), HelperAppointment.objects.count(), live_grants)
    w.review.refresh_from_db()
    orders = tuple(SellerOrder.objects.order_by("pk").values_list("status", "cod_status", "refunded_amount"))
    sellers = tuple(Seller.objects.order_by("pk").values_list("status", "commission_rate_bp"))
    w.variant.refresh_from_db()
    w.product.refresh_from_db()
    w.booking.refresh_from_db()
    w.ticket.refresh_from_db()
    w.slot.refresh_from_db()
    return (
        counts,
        orders,
        sellers,
        (w.variant.price, w.variant.stock, w.product.is_published, w.product.hidden_at),
        (w.booking.status, w.ticket.checked_in_at, w.slot.status, w.slot.seller.households.count()),
        (w.seller.invitations.count(), w.report.__class__.objects.filter(status="OPEN").count()),
        (w.review.reply_text, w.review.hidden_at),
    )


@pytest.mark.parametrize("act", list(Act), ids=str)
def test_every_other_role_is_refused(world: World, act: Act, settings: Any) -> None:
    before = fingerprint(world)
    refused = [name for name in ACTORS if name not in actors_allowed(act)]
    assert "other province admin" in refused or act in {Act.SELLER_APPLY, Act.LISTING_REPORT}
    for name in refused:
        settings.PLATFORM_OPERATOR_PROVINCES = ["lam-dong"] if name == "province operator" else []
        with pytest.raises(PermissionDenied):
            ATTEMPTS[act](world, world.actors[name])
        assert fingerprint(world) == before, f"{name} changed something with {act}"


@pytest.mark.parametrize("act", list(Act), ids=str)
def test_every_listed_role_may(world: World, act: Act, settings: Any) -> None:
    settings.PLATFORM_OPERATOR_PROVINCES = ["lam-dong"]
    for name in sorted(actors_allowed(act)):
        if name == "province admin" and Role.PROVINCE_OPERATOR in RULES[act] and Role.PROVINCE_ADMIN not in RULES[act]:
            continue  # the plain admin of the same province is only an operator with the setting
        assert may(world.actors[name], act, place(world, act)), f"{name} may not {act}"


def test_the_operator_setting_is_what_makes_an_admin_the_platform(world: World, settings: Any) -> None:
    admin = world.actors["province admin"]
    settings.PLATFORM_OPERATOR_PROVINCES = []
    with pytest.raises(PermissionDenied):
        ATTEMPTS[Act.COD_REMIT](world, admin)
    settings.PLATFORM_OPERATOR_PROVINCES = ["lam-dong"]
    ATTEMPTS[Act.COD_REMIT](world, admin)
    assert SellerOrder.objects.get(pk=world.orders["collected"].pk).cod_status == "REMITTED"
    settings.PLATFORM_OPERATOR_PROVINCES = ["ha-noi"]
    with pytest.raises(PermissionDenied):
        ATTEMPTS[Act.COD_SETTLE](world, admin)


def test_documents_are_readable_by_a_signed_link_and_never_from_media(world: World, settings: Any) -> None:
    owner, outsider = world.actors["seller owner"], world.actors["other province admin"]
    link = document_link(document=world.document, viewer=owner).removeprefix(settings.PUBLIC_URL)
    answer = Client().get(link)  # no session: the link names its viewer
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    assert answer["Cache-Control"] == "private, no-store"
    forged = document_link(document=world.document, viewer=outsider).removeprefix(settings.PUBLIC_URL)
    assert Client().get(forged).status_code == 404  # a link for someone not allowed
    other_document = link.replace(f"/documents/{world.document.pk}?", f"/documents/{world.document.pk + 999}?")
    assert Client().get(other_document).status_code == 404
    assert not str(Path(world.document.file.path)).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    assert Client().get(f"/media/{world.document.file.name}").status_code == 404


def test_a_place_naming_only_the_seller_finds_its_commune_for_province_roles(world: World) -> None:
    only_seller = seller_place(world.seller.pk)
    assert only_seller.commune_id is None
    assert may(world.actors["commune admin"], Act.SELLER_DOCUMENT_VIEW, only_seller)
    assert not may(world.actors["other commune admin"], Act.SELLER_DOCUMENT_VIEW, only_seller)


@pytest.fixture
def debug_urls(settings: Any) -> Any:
    """The URLconf as `make run` builds it (DEBUG on: /media/ served by Django)."""
    import importlib

    from django.urls import clear_url_caches

    import backend.urls

    settings.DEBUG = True
    importlib.reload(backend.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(backend.urls)
    clear_url_caches()


def test_in_debug_media_serves_photos_but_never_documents(world: World, settings: Any, debug_urls: Any) -> None:
    public = Path(settings.MEDIA_ROOT) / "products" / "check.txt"
    public.parent.mkdir(parents=True, exist_ok=True)
    public.write_text("public")
    try:
        assert Client().get("/media/products/check.txt").status_code == 200  # the route is there
    finally:
        public.unlink()
    name = world.document.file.name
    assert Client().get(f"/media/{name}").status_code == 404
    assert Client().get(f"/media/../private/{name}").status_code in {400, 404}  # traversal refused
    assert Client().get(f"/sellers/documents/{world.document.pk}").status_code == 404  # anonymous
