"""Tax withheld on the ledger: a household's online-paid goods and an experience booking at the
Decree 117 rates, a full and a partial refund reversing them, payouts of the net, cash the seller
collected itself recorded as self-declared, and a cooperative's sale with no withholding."""

from __future__ import annotations

from typing import Any

import pytest

from backend.orders import ledger
from backend.orders.models import LedgerKind, SellerOrder
from backend.sellers.models import SellerKind
from backend.tax.models import TaxLine, TaxMode
from backend.tax.rates import tax_of
from tests.checkout.helpers import OWN, PICKUP
from tests.conftest import GQL
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book_and_pay
from tests.factories import SellerFactory
from tests.orders.operations import ORDER_REFUND, SELLER_ORDER_COD_RECORD
from tests.orders.payment_helpers import configure_gateways
from tests.orders.test_orders_api import place_order, run, sid
from tests.tax.helpers import ledger_of, make_shop_of, pay_online, tax_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateways(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    configure_gateways(monkeypatch, settings)


def test_rounding_is_half_up_to_the_dong() -> None:
    assert tax_of(246_914, 100) == 2_469  # 2 469.14
    assert tax_of(246_950, 100) == 2_470  # 2 469.50 rounds up
    assert tax_of(246_949, 50) == 1_235  # 1 234.745
    assert tax_of(99, 50) == 0  # 0.495
    assert tax_of(100, 50) == 1  # 0.5
    assert tax_of(0, 500) == 0


def test_household_goods_paid_online_withholds_goods_and_transport_rates(
    regions: None, client: Any, gateways: None
) -> None:
    shop = make_shop_of(SellerKind.HOUSEHOLD, price=123_457)
    seller_order = pay_online(client, shop, quantity=2, kind=OWN)
    goods, delivery = 246_914, seller_order.delivery_fee
    assert seller_order.subtotal == goods and seller_order.total == goods + delivery

    expected = [(TaxMode.WITHHELD, "GOODS", goods, 2_469, 1_235, None)]
    if delivery:
        expected.append((TaxMode.WITHHELD, "TRANSPORT", delivery, tax_of(delivery, 300), tax_of(delivery, 150), None))
    assert sorted(tax_rows(seller_order), key=lambda r: r[1]) == expected
    vat, pit = sum(r[3] for r in expected), sum(r[4] for r in expected)
    totals = ledger_of(seller_order)
    assert totals[LedgerKind.TAX_VAT_WITHHELD] == -vat
    assert totals[LedgerKind.TAX_PIT_WITHHELD] == -pit
    # The seller's balance is the sale less commission and the tax: what a payout pays.
    assert ledger.balance(seller=shop.seller) == seller_order.total - seller_order.commission - vat - pit


def test_a_replayed_payment_notification_withholds_once(regions: None, client: Any, gateways: None) -> None:
    from tests.orders.payment_helpers import sandbox_notify, send

    shop = make_shop_of(SellerKind.HOUSEHOLD, price=50_000)
    seller_order = pay_online(client, shop, quantity=1, kind=PICKUP)
    before = (tax_rows(seller_order), ledger_of(seller_order))
    send(client, sandbox_notify(f"{seller_order.order.number}P1", seller_order.order.total))
    ledger.record_sale(SellerOrder.objects.select_related("order").get(pk=seller_order.pk))
    assert (tax_rows(seller_order), ledger_of(seller_order)) == before
    assert before[0] == [(TaxMode.WITHHELD, "GOODS", 50_000, 500, 250, None)]


def test_household_experience_booking_withholds_service_rates(
    regions: None, client: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    tour = make_tour(seller=SellerFactory(kind=SellerKind.HOUSEHOLD, name="Hộ Ka Sô (homestay)"))
    order = book_and_pay(client, monkeypatch, settings, slot=tour.slot(days=5), adults=2, children=1)
    seller_order = order.seller_orders.get()
    revenue = 2 * 450_000 + 300_000
    assert seller_order.total == revenue
    assert tax_rows(seller_order) == [(TaxMode.WITHHELD, "SERVICE", revenue, 60_000, 24_000, None)]
    totals = ledger_of(seller_order)
    assert totals[LedgerKind.TAX_VAT_WITHHELD] == -60_000 and totals[LedgerKind.TAX_PIT_WITHHELD] == -24_000


def test_a_product_tax_category_overrides_its_kind(regions: None, client: Any, gateways: None) -> None:
    shop = make_shop_of(SellerKind.HOUSEHOLD, price=200_000)
    shop.variant.product.tax_category = "TRANSPORT"  # e.g. a packing-and-shipping service listed as a product
    shop.variant.product.save(update_fields=["tax_category"])
    seller_order = pay_online(client, shop, quantity=1, kind=PICKUP)
    assert tax_rows(seller_order) == [(TaxMode.WITHHELD, "TRANSPORT", 200_000, 6_000, 3_000, None)]


def test_full_refund_reverses_every_dong_and_partial_refunds_never_exceed(
    regions: None, client: Any, gateways: None, gql: GQL, make_user: Any
) -> None:
    shop = make_shop_of(SellerKind.HOUSEHOLD, price=33_333)
    seller_order = pay_online(client, shop, quantity=3, kind=PICKUP)  # 99 999 đ: VAT 1 000, PIT 500
    assert tax_rows(seller_order) == [(TaxMode.WITHHELD, "GOODS", 99_999, 1_000, 500, None)]
    admin = make_user("vanhanh@example.vn", is_platform_staff=True)

    part = run(gql, ORDER_REFUND, "orderRefund", {"id": sid(seller_order), "amount": 33_333, "reason": "Dập"}, admin)
    assert part["errors"] == []
    rows = tax_rows(seller_order)
    assert rows[1][:5] == (TaxMode.WITHHELD, "GOODS", -33_333, -333, -166)  # pro rata, rounded down

    rest = run(gql, ORDER_REFUND, "orderRefund", {"id": sid(seller_order), "reason": "Trả hàng"}, admin)
    assert rest["errors"] == [] and rest["sellerOrder"]["refunded"]["amount"] == 99_999
    rows = tax_rows(seller_order)
    assert rows[2][:5] == (TaxMode.WITHHELD, "GOODS", -66_666, -667, -334)
    assert sum(r[3] for r in rows) == 0 and sum(r[4] for r in rows) == 0 and sum(r[2] for r in rows) == 0
    totals = ledger_of(seller_order)
    assert totals[LedgerKind.TAX_VAT_WITHHELD] + totals[LedgerKind.TAX_VAT_REVERSAL] == 0
    assert totals[LedgerKind.TAX_PIT_WITHHELD] + totals[LedgerKind.TAX_PIT_REVERSAL] == 0
    # Sale, commission, tax and their reversals cancel out: the seller is owed nothing.
    assert ledger.balance(seller=shop.seller) == 0


def test_a_cooperative_sale_has_no_withholding(regions: None, client: Any, gateways: None) -> None:
    shop = make_shop_of(SellerKind.COOPERATIVE, price=120_000)
    seller_order = pay_online(client, shop, quantity=2, kind=OWN)
    assert tax_rows(seller_order) == []
    assert set(ledger_of(seller_order)) == {LedgerKind.SALE, LedgerKind.COMMISSION}
    assert not TaxLine.objects.exists()


def _cod_collect(gql: GQL, seller_order: SellerOrder, *, staff: Any, collector: Any) -> None:
    confirm = gql(
        "mutation($id: ID!) { sellerOrderConfirm(id: $id) { errors { code } } }", {"id": sid(seller_order)}, user=staff
    ).payload("sellerOrderConfirm")
    assert confirm["errors"] == []
    for status, actor in (("IN_TRANSIT", staff), ("COLLECTED", collector)):
        variables = {"id": sid(seller_order), "status": status}
        result = run(gql, SELLER_ORDER_COD_RECORD, "sellerOrderCodRecord", variables, actor)
        assert result["errors"] == [], result


def test_cash_the_household_collected_itself_is_self_declared_not_withheld(regions: None, gql: GQL) -> None:
    shop = make_shop_of(SellerKind.HOUSEHOLD, price=80_000)
    seller_order = place_order([shop], gateway="cod", kind=PICKUP, quantity=1).seller_orders.get()
    _cod_collect(gql, seller_order, staff=shop.staff, collector=shop.staff)
    assert tax_rows(seller_order) == [(TaxMode.SELF_DECLARED, "GOODS", 80_000, 800, 400, None)]
    assert set(ledger_of(seller_order)) == {LedgerKind.SALE, LedgerKind.COMMISSION}


def test_cash_a_carrier_collected_for_the_platform_is_withheld(regions: None, gql: GQL, make_user: Any) -> None:
    from tests.checkout.helpers import CARRIER

    shop = make_shop_of(SellerKind.HOUSEHOLD, price=80_000)
    seller_order = place_order([shop], gateway="cod", kind=CARRIER, quantity=1).seller_orders.get()
    _cod_collect(gql, seller_order, staff=shop.staff, collector=make_user("vh@example.vn", is_platform_staff=True))
    rows = tax_rows(seller_order)
    assert rows[0] == (TaxMode.WITHHELD, "GOODS", 80_000, 800, 400, None)
    totals = ledger_of(seller_order)
    assert totals[LedgerKind.TAX_VAT_WITHHELD] == -sum(r[3] for r in rows)
    assert totals[LedgerKind.TAX_PIT_WITHHELD] == -sum(r[4] for r in rows)


def test_a_sale_uses_the_rates_in_force_on_the_day_it_is_paid(regions: None, client: Any, gateways: None) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from backend.tax.models import TaxRate
    from backend.tax.rates import rate_for, rates_on

    today = timezone.localdate()
    TaxRate.objects.create(category="GOODS", valid_from=today + timedelta(days=1), vat_bp=200, pit_bp=100)
    assert rates_on(today)["GOODS"].vat_bp == 100
    assert rates_on(today + timedelta(days=1))["GOODS"].vat_bp == 200
    assert rates_on(date(2025, 7, 1))["SERVICE"].pit_bp == 200
    assert rates_on(date(2025, 6, 30)) == {}
    unknown = rate_for(None, rates=rates_on(today))
    assert (unknown.category, unknown.vat_bp, unknown.pit_bp, unknown.unknown) == ("SERVICE", 500, 200, True)

    shop = make_shop_of(SellerKind.HOUSEHOLD, price=100_000)
    seller_order = pay_online(client, shop, quantity=1, kind=PICKUP)
    assert tax_rows(seller_order) == [(TaxMode.WITHHELD, "GOODS", 100_000, 1_000, 500, None)]
    TaxRate.objects.create(category="GOODS", valid_from=today, vat_bp=150, pit_bp=75)
    later = pay_online(client, make_shop_of(SellerKind.HOUSEHOLD, price=100_000), quantity=1, kind=PICKUP)
    assert tax_rows(later) == [(TaxMode.WITHHELD, "GOODS", 100_000, 1_500, 750, None)]


def test_a_line_whose_product_is_gone_is_taxed_at_the_highest_rate(regions: None, client: Any, gateways: None) -> None:
    from backend.orders.models import OrderLine
    from backend.tax.rates import rates_on
    from backend.tax.withholding import revenue_by_category

    shop = make_shop_of(SellerKind.HOUSEHOLD, price=100_000)
    order = place_order([shop], gateway="sandbox", kind=PICKUP, quantity=1)
    seller_order = order.seller_orders.get()
    OrderLine.objects.filter(seller_order=seller_order).update(variant=None)
    from django.utils import timezone

    parts = revenue_by_category(seller_order, rates=rates_on(timezone.localdate()))
    assert [(p.category, p.unknown, p.revenue, p.rate.vat_bp, p.rate.pit_bp) for p in parts] == [
        ("SERVICE", True, 100_000, 500, 200)
    ]


def test_nothing_is_withheld_before_decree_117_took_effect(regions: None, client: Any, gateways: None) -> None:
    from datetime import datetime

    from django.utils import timezone

    from backend.tax.withholding import record_sale_tax

    shop = make_shop_of(SellerKind.HOUSEHOLD, price=100_000)
    seller_order = place_order([shop], gateway="sandbox", kind=PICKUP, quantity=1).seller_orders.get()
    before = timezone.make_aware(datetime(2025, 6, 30, 12), timezone.get_default_timezone())
    assert record_sale_tax(seller_order=seller_order, now=before) == []
    assert tax_rows(seller_order) == []
