"""The monthly declaration of a province and a seller's statement agree, through GraphQL and every
export (XLSX, CSV, JSON, XML); who may see them; closing a month; the Decree 91 quarterly file."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from backend.orders.models import SellerOrder
from backend.sellers.models import SellerKind
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OWN, PICKUP, Shop
from tests.conftest import GQL
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book_and_pay
from tests.factories import SellerFactory
from tests.orders.payment_helpers import configure_gateways
from tests.reports.helpers import province_admin
from tests.tax.helpers import make_shop_of, pay_online

pytestmark = pytest.mark.django_db

FIGURES = """revenueGoods { amount } revenueService { amount } revenueTransport { amount } revenueTotal { amount }
  revenueReversed { amount } revenueNet { amount } vatWithheld { amount } pitWithheld { amount }
  vatReversed { amount } pitReversed { amount } vatNet { amount } pitNet { amount }"""
DECLARATION = f"""query($p: String!, $y: Int!, $m: Int!) {{ taxDeclaration(province: $p, year: $y, month: $m) {{
  province {{ slug }} period dueDate closedAt withheld {{ {FIGURES} }} selfDeclared {{ {FIGURES} }}
  sellers {{ seller {{ id name }} mode figures {{ {FIGURES} }} }} }} }}"""
STATEMENT = f"""query($s: ID!, $y: Int!, $m: Int) {{ sellerTaxStatement(seller: $s, year: $y, month: $m) {{
  year month withholdingApplies withheld {{ {FIGURES} }} selfDeclared {{ {FIGURES} }}
  lines {{ orderNumber mode category reversal revenue {{ amount }} vat {{ amount }} pit {{ amount }} }} }} }}"""
CLOSE = """mutation($p: String!, $y: Int!, $m: Int!) { taxPeriodClose(province: $p, year: $y, month: $m,
  note: "TK 01") {
  declaration { closedAt withheld { vatNet { amount } } } errors { field code message } } }"""
INFORMATION = """query($p: String!, $y: Int!, $q: Int!) { taxSellerInformation(province: $p, year: $y, quarter: $q) {
  seller { name } taxCode withheld revenue { amount } taxWithheld { amount } } }"""


def flat(figures: dict[str, Any]) -> dict[str, int]:
    return {key: value["amount"] for key, value in figures.items()}


@dataclass
class Month:
    goods: Shop
    goods_order: SellerOrder
    refunded_order: SellerOrder
    tour_seller: Any
    tour_staff: Any
    coop: Shop
    year: int
    month: int


@pytest.fixture
def month(regions: None, client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any, make_user: Any) -> Month:
    """This month: a household's goods order (kept) and one fully refunded, a household's booking,
    and a cooperative's order."""
    configure_gateways(monkeypatch, settings)
    goods = make_shop_of(SellerKind.HOUSEHOLD, price=123_457, name="Hộ Nguyễn Văn Cà Phê")
    kept = pay_online(client, goods, quantity=2, kind=OWN)
    refunded = pay_online(client, goods, quantity=1, kind=PICKUP)
    from backend.orders.payments import order_refund

    order_refund(
        seller_order=refunded, actor=make_user("vh@example.vn", is_platform_staff=True), amount=None, reason="x"
    )
    tour = make_tour(seller=SellerFactory(kind=SellerKind.HOUSEHOLD, name="Hộ Ka Sô Homestay"))
    book_and_pay(client, monkeypatch, settings, slot=tour.slot(days=5), adults=2)
    coop = make_shop_of(SellerKind.COOPERATIVE, price=90_000, name="HTX Chè Cầu Đất")
    pay_online(client, coop, quantity=1, kind=PICKUP)
    today = timezone.localdate()
    return Month(goods, kept, refunded, tour.seller, tour.staff, coop, today.year, today.month)


def test_declaration_and_statements_show_the_same_figures(month: Month, gql: GQL) -> None:
    admin = province_admin()
    variables = {"p": "lam-dong", "y": month.year, "m": month.month}
    declaration = gql(DECLARATION, variables, user=admin).data["taxDeclaration"]
    assert declaration["period"] == f"{month.year}-{month.month:02d}" and declaration["closedAt"] is None
    rows = {row["seller"]["name"]: row for row in declaration["sellers"]}
    assert set(rows) == {"Hộ Nguyễn Văn Cà Phê", "Hộ Ka Sô Homestay"}  # no cooperative
    goods = flat(rows["Hộ Nguyễn Văn Cà Phê"]["figures"])
    fee = month.goods_order.delivery_fee
    assert goods["revenueGoods"] == 2 * 123_457 + 123_457
    assert goods["revenueTransport"] == fee
    assert goods["revenueReversed"] == 123_457 and goods["vatReversed"] == 1_235 and goods["pitReversed"] == 617
    assert goods["vatWithheld"] == 2_469 + 1_235 + (fee * 300 + 5_000) // 10_000
    assert goods["vatNet"] == goods["vatWithheld"] - 1_235
    tour = flat(rows["Hộ Ka Sô Homestay"]["figures"])
    assert (tour["revenueService"], tour["vatWithheld"], tour["pitWithheld"]) == (900_000, 45_000, 18_000)
    total = flat(declaration["withheld"])
    assert total["vatNet"] == goods["vatNet"] + tour["vatNet"] and total["pitNet"] == goods["pitNet"] + tour["pitNet"]

    for shop_seller, staff, name in (
        (month.goods.seller, month.goods.staff, "Hộ Nguyễn Văn Cà Phê"),
        (month.tour_seller, month.tour_staff, "Hộ Ka Sô Homestay"),
    ):
        statement = gql(
            STATEMENT, {"s": global_id("Seller", shop_seller.pk), "y": month.year, "m": month.month}, user=staff
        ).data["sellerTaxStatement"]
        assert flat(statement["withheld"]) == flat(rows[name]["figures"]) and statement["withholdingApplies"]
        yearly = gql(STATEMENT, {"s": global_id("Seller", shop_seller.pk), "y": month.year}, user=staff).data
        assert flat(yearly["sellerTaxStatement"]["withheld"]) == flat(rows[name]["figures"])
    lines = gql(
        STATEMENT,
        {"s": global_id("Seller", month.goods.seller.pk), "y": month.year, "m": month.month},
        user=month.goods.staff,
    ).data["sellerTaxStatement"]["lines"]
    assert [line["reversal"] for line in lines].count(True) == 1
    assert sum(line["vat"]["amount"] for line in lines) == goods["vatNet"]


def test_the_exports_carry_the_same_figures(month: Month, gql: GQL) -> None:
    admin = province_admin()
    declaration = gql(DECLARATION, {"p": "lam-dong", "y": month.year, "m": month.month}, user=admin).data
    total = flat(declaration["taxDeclaration"]["withheld"])
    web = Client()
    web.force_login(admin)
    query = f"?province=lam-dong&year={month.year}&month={month.month}"

    page = web.get("/province/tax/" + query)
    assert page.status_code == 200
    assert f'data-figure="total-vat">{total["vatNet"]:,}'.replace(",", ".") in page.content.decode()

    data = json.loads(web.get("/province/tax/export.json" + query).content)
    assert data["withheld"]["vatNet"] == total["vatNet"] and data["withheld"]["pitNet"] == total["pitNet"]
    assert data["due"] == f"{month.year + (month.month == 12)}-{month.month % 12 + 1:02d}-20"

    root = ET.fromstring(web.get("/province/tax/export.xml" + query).content)
    assert int(root.findtext("withheld/vatNet") or 0) == total["vatNet"]
    assert len(root.findall("sellers/seller")) == 2

    book = load_workbook(io.BytesIO(web.get("/province/tax/export.xlsx" + query).content))
    sellers = list(book.worksheets[1].iter_rows(values_only=True))
    header, body = sellers[0], sellers[1:]
    total_row = next(r for r in body if r[1] == "Tổng đã khấu trừ")
    assert total_row[header.index("Thuế GTGT thuần")] == total["vatNet"]
    assert total_row[header.index("Thuế TNCN thuần")] == total["pitNet"]

    text = web.get("/province/tax/export.csv" + query).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    csv_header = next(r for r in rows if "Thuế GTGT thuần" in r)
    csv_total = next(r for r in rows if len(r) > 1 and r[1] == "Tổng đã khấu trừ")
    assert int(csv_total[csv_header.index("Thuế GTGT thuần")]) == total["vatNet"]

    seller_web = Client()
    seller_web.force_login(month.goods.staff)
    statement = seller_web.get(f"/seller/{month.goods.seller.pk}/tax/?year={month.year}&month={month.month}")
    assert statement.status_code == 200 and "Hộ Nguyễn Văn Cà Phê" in statement.content.decode()
    mine = next(s for s in data["sellers"] if s["name"] == "Hộ Nguyễn Văn Cà Phê")
    exported = seller_web.get(f"/seller/{month.goods.seller.pk}/tax/export.csv?year={month.year}&month={month.month}")
    summary = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    head = next(r for r in summary if "Thuế GTGT thuần" in r)
    withheld = next(r for r in summary if r and r[0] == "Sàn khấu trừ")
    assert int(withheld[head.index("Thuế GTGT thuần")]) == mine["vatNet"]
    assert 'data-withholding="yes"' in statement.content.decode()
    coop_web = Client()
    coop_web.force_login(month.coop.staff)
    coop_page = coop_web.get(f"/seller/{month.coop.seller.pk}/tax/").content.decode()
    assert 'data-withholding="no"' in coop_page and "Không có khoản khấu trừ nào" in coop_page
    # Another seller's staff gets nothing.
    assert seller_web.get(f"/seller/{month.coop.seller.pk}/tax/").status_code == 404


def test_who_may_see_the_declaration_and_a_statement(month: Month, gql: GQL, make_user: Any) -> None:
    variables = {"p": "lam-dong", "y": month.year, "m": month.month}
    platform = make_user("vanhanh@example.vn", is_platform_staff=True)
    assert gql(DECLARATION, variables, user=platform).data["taxDeclaration"]["sellers"]
    for outsider in (province_admin("ha-noi"), month.goods.staff, make_user("khach@example.vn"), None):
        answer = gql(DECLARATION, variables, user=outsider)
        assert answer.errors and answer.errors[0]["extensions"]["code"] in {"PERMISSION_DENIED"}, answer.json
    statement = {"s": global_id("Seller", month.goods.seller.pk), "y": month.year, "m": month.month}
    assert not gql(STATEMENT, statement, user=province_admin()).errors
    for outsider in (month.coop.staff, province_admin("ha-noi"), None):
        assert gql(STATEMENT, statement, user=outsider).errors[0]["extensions"]["code"] == "PERMISSION_DENIED"
    web = Client()
    web.force_login(province_admin("ha-noi"))
    assert web.get("/province/tax/export.json?province=lam-dong").status_code == 403
    bad = gql(DECLARATION, {**variables, "m": 13}, user=platform)
    assert bad.errors[0]["extensions"]["code"] == "INVALID"


def test_closing_a_month_once_after_it_ended(month: Month, gql: GQL, make_user: Any) -> None:
    admin = province_admin()
    early = gql(CLOSE, {"p": "lam-dong", "y": month.year, "m": month.month}, user=admin).payload("taxPeriodClose")
    assert [e["code"] for e in early["errors"]] == ["INVALID"]
    last = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    done = gql(CLOSE, {"p": "lam-dong", "y": last.year, "m": last.month}, user=admin).payload("taxPeriodClose")
    assert done["errors"] == [] and done["declaration"]["closedAt"]
    again = gql(CLOSE, {"p": "lam-dong", "y": last.year, "m": last.month}, user=admin).payload("taxPeriodClose")
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]
    outsider = gql(CLOSE, {"p": "lam-dong", "y": last.year, "m": last.month}, user=province_admin("ha-noi"))
    assert [e["code"] for e in outsider.payload("taxPeriodClose")["errors"]] == ["PERMISSION_DENIED"]


def test_decree_91_lists_every_seller_with_revenue(month: Month, gql: GQL) -> None:
    quarter = (month.month - 1) // 3 + 1
    rows = gql(INFORMATION, {"p": "lam-dong", "y": month.year, "q": quarter}, user=province_admin()).data
    by_name = {r["seller"]["name"]: r for r in rows["taxSellerInformation"]}
    assert by_name["HTX Chè Cầu Đất"]["withheld"] is False
    assert by_name["HTX Chè Cầu Đất"]["revenue"]["amount"] == 90_000
    assert by_name["HTX Chè Cầu Đất"]["taxWithheld"]["amount"] == 0
    goods = by_name["Hộ Nguyễn Văn Cà Phê"]
    assert goods["withheld"] is True and goods["revenue"]["amount"] == month.goods_order.total
    web = Client()
    web.force_login(province_admin())
    answer = web.get(f"/province/tax/sellers.csv?province=lam-dong&year={month.year}&quarter={quarter}")
    assert answer.status_code == 200 and "HTX Chè Cầu Đất" in answer.content.decode("utf-8-sig")


def test_the_declaration_costs_the_same_queries_for_more_sellers(
    month: Month, gql: GQL, client: Client, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = province_admin()
    variables = {"p": "lam-dong", "y": month.year, "m": month.month}
    with CaptureQueriesContext(connection) as few:
        gql(DECLARATION, variables, user=admin)
    for n in range(3):
        pay_online(client, make_shop_of(SellerKind.HOUSEHOLD, price=10_000 + n), quantity=1, kind=PICKUP)
    with CaptureQueriesContext(connection) as more:
        answer = gql(DECLARATION, variables, user=admin)
    assert len(answer.data["taxDeclaration"]["sellers"]) == 5
    assert len(more.captured_queries) == len(few.captured_queries)
