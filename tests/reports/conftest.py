"""The small trade fixture of the report tests: figures computed by hand in test_dashboard.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from backend.catalog.models import Product
from backend.regions.models import Commune, Province
from backend.sellers.models import Seller, SellerStatus
from tests.factories import CategoryFactory, ProductFactory, SellerFactory, VariantFactory
from tests.factories import commune as commune_by_code
from tests.reports.helpers import local, make_order

LAM_VIEN = "24778"
XUAN_HUONG = "24781"


@dataclass
class Trade:
    s1: Seller
    s2: Seller
    p1: Product
    p2: Product
    p3: Product


def _product(seller: Seller, category: Any, name: str, price: int, ocop: int | None = None) -> Product:
    product = ProductFactory(seller=seller, category=category, name=name, ocop_stars=ocop)
    VariantFactory(product=product, price=price)
    return product


def _decided(seller: Seller, applied: str, decided: str) -> None:
    Seller.objects.filter(pk=seller.pk).update(applied_at=local(applied), decided_at=local(decided))


@pytest.fixture
def trade(regions: None) -> Trade:
    """Two communes of Lâm Đồng with sales from 2 to 5 November 2026, plus noise that must not count."""
    lam_vien, xuan_huong = commune_by_code(LAM_VIEN), commune_by_code(XUAN_HUONG)
    fruit = CategoryFactory(name="Trái cây", slug="trai-cay")
    tea = CategoryFactory(name="Trà", slug="tra")
    s1 = SellerFactory(name="HTX Lâm Viên", commune=lam_vien)
    s2 = SellerFactory(name="HTX Xuân Hương", commune=xuan_huong)
    s3 = SellerFactory(name="Hộ chờ duyệt", commune=lam_vien, status=SellerStatus.PENDING)
    s4 = SellerFactory(name="Hộ bị đình chỉ", commune=xuan_huong, status=SellerStatus.SUSPENDED)
    _decided(s1, "2026-11-01 08:00", "2026-11-01 20:00")  # 12 h
    _decided(s2, "2026-10-30 08:00", "2026-11-02 08:00")  # 72 h
    _decided(s4, "2026-11-01 00:00", "2026-11-03 00:00")  # 48 h
    _decided(s3, "2026-10-01 00:00", "2026-10-20 00:00")  # decided before the range: not counted
    p1 = _product(s1, fruit, "Dâu tây OCOP", 100_000, ocop=4)
    p2 = _product(s1, tea, "Trà ô long", 50_000)
    p3 = _product(s2, fruit, "Hồng treo gió", 80_000)
    _product(s4, tea, "Trà của hộ bị đình chỉ", 60_000)

    buyer_commune = xuan_huong
    # O1, paid online on 2 Nov: two sellers, a delivery fee on the first part.
    make_order(
        [(s1, [(p1, 2, 100_000), (p2, 1, 50_000)], 20_000), (s2, [(p3, 1, 80_000)], 0)],
        commune=buyer_commune,
        sold_at="2026-11-02 10:00",
    )
    # O3, paid on 3 Nov, 100 000 refunded later.
    make_order([(s2, [(p3, 5, 80_000)], 0)], commune=buyer_commune, sold_at="2026-11-03 09:00", refunded={0: 100_000})
    # O2, cash collected at 00:30 local on 4 Nov (still 3 Nov in UTC).
    make_order([(s1, [(p1, 1, 100_000)], 0)], commune=buyer_commune, sold_at="2026-11-04 00:30", gateway="cod")
    # O5, paid on 5 Nov and refunded in full: counted as an order, worth nothing.
    make_order([(s1, [(p2, 2, 50_000)], 0)], commune=buyer_commune, sold_at="2026-11-05 12:00", refunded={0: 100_000})
    # Noise: cancelled unpaid, paid just before the range, paid just after it.
    make_order([(s1, [(p1, 3, 100_000)], 0)], commune=buyer_commune, cancelled=True)
    make_order([(s1, [(p1, 1, 100_000)], 0)], commune=buyer_commune, sold_at="2026-10-31 23:59")
    make_order([(s2, [(p3, 1, 80_000)], 0)], commune=buyer_commune, sold_at="2026-11-08 00:00")
    # A seller of another province selling in the range.
    other_province = Province.objects.get(slug="ha-noi")
    elsewhere = Commune.objects.create(
        code="99901", name="Phường Thử", short_name="Thử", slug="thu", kind="phuong", province=other_province
    )
    s5 = SellerFactory(name="HTX Hà Nội", commune=elsewhere)
    p5 = _product(s5, fruit, "Cam Hà Nội", 90_000)
    make_order([(s5, [(p5, 1, 90_000)], 0)], commune=elsewhere, sold_at="2026-11-03 10:00")
    return Trade(s1=s1, s2=s2, p1=p1, p2=p2, p3=p3)
