"""Checkout and order completion under real concurrency: threads, each with its own database
connection and real transactions (SQLite with WAL + IMMEDIATE, or PostgreSQL via DATABASE_URL).

What must hold whatever the interleaving: stock is taken at most once per unit and never goes
negative, the losers get INSUFFICIENT_STOCK (a domain error, never "database is locked" or a
deadlock), a double submit makes one order, and two carts locking the same variants in opposite
line order never deadlock.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from backend.catalog.models import ProductVariant
from backend.checkout import services as checkout_services
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.services import AddressData, LineInput
from backend.core.errors import DomainError
from backend.orders import services as order_services
from backend.orders.models import Order, OrderLine
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, Shop, make_shop
from tests.factories import commune

pytestmark = pytest.mark.django_db(transaction=True)

BARRIER_TIMEOUT = 60


@dataclass
class Outcomes:
    """What each thread got: a result, a domain error code, or an unexpected exception."""

    results: list[Any] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_result(self, value: Any) -> None:
        with self.lock:
            self.results.append(value)

    def add_code(self, code: str) -> None:
        with self.lock:
            self.codes.append(code)

    def add_unexpected(self, text: str) -> None:
        with self.lock:
            self.unexpected.append(text)


def _run_concurrently(jobs: list[Callable[..., Any]], *, prepare: Callable[[int], Any] | None = None) -> Outcomes:
    """Run every job in its own thread, all released together by a barrier.

    `prepare(i)` runs in the thread before the barrier (e.g. loading the checkout, which also opens
    the thread's connection) and its value is passed to the job. Each thread closes its connection.
    """
    outcomes = Outcomes()
    barrier = threading.Barrier(len(jobs))

    def worker(index: int) -> None:
        try:
            prepared = prepare(index) if prepare is not None else None
            barrier.wait(timeout=BARRIER_TIMEOUT)
            job = jobs[index]
            value = job(prepared) if prepare is not None else job()
            outcomes.add_result(value)
        except DomainError as exc:
            outcomes.add_code(exc.code)
        except Exception as exc:  # noqa: BLE001 - an OperationalError or a deadlock is what we look for
            outcomes.add_unexpected(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), name=f"buyer-{i}") for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running (deadlock?)"
    return outcomes


class StockWatcher:
    """Samples the variants' stock from its own connection while the buyers run."""

    def __init__(self, variant_ids: list[int]) -> None:
        self.variant_ids = variant_ids
        self.lowest: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stock-watcher")

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                stocks = list(ProductVariant.objects.filter(pk__in=self.variant_ids).values_list("stock", flat=True))
                low = min(stocks)
                self.lowest = low if self.lowest is None else min(self.lowest, low)
                self._stop.wait(0.005)
        finally:
            connection.close()

    def __enter__(self) -> StockWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def _address() -> AddressData:
    return AddressData(
        full_name="Nguyễn Văn A", phone="0903 123 456", street="1 Trần Phú", commune_id=commune(OTHER_DA_LAT_COMMUNE).pk
    )


def _ready_checkout(items: list[tuple[Shop, int]], *, index: int = 0) -> Checkout:
    """A checkout holding `items` (in that line order), with an address and pickup chosen."""
    checkout = checkout_services.checkout_create(
        user=None,
        lines=[LineInput(variant_id=shop.variant.pk, quantity=quantity) for shop, quantity in items],
        email=f"khach{index}@example.vn",
    )
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=_address())
    for shop, _quantity in items:
        checkout_services.checkout_delivery_method_update(
            checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk
        )
    return checkout


def _set_stock(shop: Shop, stock: int) -> None:
    ProductVariant.objects.filter(pk=shop.variant.pk).update(stock=stock)


def _complete_all(checkout_ids: list[int]) -> Outcomes:
    """Complete every checkout with cash on delivery, one thread each, all at once."""

    def prepare(index: int) -> Checkout:
        return Checkout.objects.get(pk=checkout_ids[index])

    def job(checkout: Checkout) -> str:
        return order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None).order.number

    return _run_concurrently([job] * len(checkout_ids), prepare=prepare)


def _assert_last_units_sold_once(shop: Shop, outcomes: Outcomes, *, buyers: int, units: int) -> None:
    assert outcomes.unexpected == [], outcomes.unexpected
    assert len(outcomes.results) == units, (len(outcomes.results), Counter(outcomes.codes))
    assert outcomes.codes == ["INSUFFICIENT_STOCK"] * (buyers - units)
    assert len(set(outcomes.results)) == units
    assert Order.objects.count() == units
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == units
    shop.variant.refresh_from_db()
    assert shop.variant.stock == 0


# --- a. 50 buyers, the last 5 units -----------------------------------------------------------


def test_fifty_buyers_with_live_holds_race_for_the_last_five_units(regions: None) -> None:
    buyers, units = 50, 5
    shop = make_shop(price=50_000, stock=buyers)
    ids = [_ready_checkout([(shop, 1)], index=i).pk for i in range(buyers)]
    _set_stock(shop, units)  # 50 live holds over 5 units: completing needs only stock ≥ 1
    assert CheckoutLine.objects.filter(reserved_until__gt=timezone.now()).count() == buyers
    with StockWatcher([shop.variant.pk]) as watcher:
        outcomes = _complete_all(ids)
    _assert_last_units_sold_once(shop, outcomes, buyers=buyers, units=units)
    assert watcher.lowest is not None and watcher.lowest >= 0


def test_fifty_buyers_with_lapsed_holds_race_for_the_last_five_units(regions: None) -> None:
    buyers, units = 50, 5
    shop = make_shop(price=50_000, stock=buyers)
    ids = [_ready_checkout([(shop, 1)], index=i).pk for i in range(buyers)]
    _set_stock(shop, units)
    CheckoutLine.objects.filter(checkout_id__in=ids).update(reserved_until=timezone.now() - timedelta(minutes=1))
    with StockWatcher([shop.variant.pk]) as watcher:
        outcomes = _complete_all(ids)
    _assert_last_units_sold_once(shop, outcomes, buyers=buyers, units=units)
    assert watcher.lowest is not None and watcher.lowest >= 0


# --- b. adding to the cart at the same time ---------------------------------------------------


def test_concurrent_checkout_create_honours_holds(regions: None) -> None:
    buyers, units = 20, 5
    shop = make_shop(price=50_000, stock=units)
    variant_id = shop.variant.pk

    def job() -> int:
        checkout = checkout_services.checkout_create(
            user=None, lines=[LineInput(variant_id=variant_id, quantity=1)], email="khach@example.vn"
        )
        return checkout.pk

    outcomes = _run_concurrently([job] * buyers)
    assert outcomes.unexpected == [], outcomes.unexpected
    assert len(outcomes.results) == units, (len(outcomes.results), Counter(outcomes.codes))
    assert outcomes.codes == ["INSUFFICIENT_STOCK"] * (buyers - units)
    live = CheckoutLine.objects.filter(variant_id=variant_id, reserved_until__gt=timezone.now())
    assert sorted(live.values_list("checkout_id", flat=True)) == sorted(outcomes.results)
    assert sum(live.values_list("quantity", flat=True)) == units
    # A failed create leaves no half-made checkout behind.
    assert Checkout.objects.count() == units
    shop.variant.refresh_from_db()
    assert shop.variant.stock == units  # holds do not take stock


# --- c. double submit -------------------------------------------------------------------------


def test_double_submit_makes_one_order(regions: None) -> None:
    shop = make_shop(price=50_000, stock=10)
    checkout_id = _ready_checkout([(shop, 3)]).pk
    outcomes = _complete_all([checkout_id] * 10)
    assert outcomes.unexpected == [] and outcomes.codes == [], (outcomes.unexpected, outcomes.codes)
    assert len(outcomes.results) == 10 and len(set(outcomes.results)) == 1
    order = Order.objects.get()
    assert order.number == outcomes.results[0]
    assert order.payments.count() == 1
    shop.variant.refresh_from_db()
    assert shop.variant.stock == 7


# --- d. two sellers, opposite line order ------------------------------------------------------


def test_opposite_line_orders_across_two_sellers_never_deadlock(regions: None) -> None:
    a = make_shop(price=40_000, stock=100, name="HTX Dâu tây Lâm Viên")
    b = make_shop(price=30_000, stock=100, name="HTX Atiso Xuân Hương")
    rounds, carts, stock_a, stock_b = 3, 14, 10, 8
    for round_no in range(rounds):
        CheckoutLine.objects.update(reserved_until=None)  # the last round's losers let go
        _set_stock(a, carts)
        _set_stock(b, carts)
        ids = [
            _ready_checkout([(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)], index=round_no * carts + i).pk
            for i in range(carts)
        ]
        _set_stock(a, stock_a)
        _set_stock(b, stock_b)
        before = Order.objects.count()
        with StockWatcher([a.variant.pk, b.variant.pk]) as watcher:
            outcomes = _complete_all(ids)
        assert outcomes.unexpected == [], (round_no, outcomes.unexpected)
        sold = min(stock_a, stock_b)
        assert len(outcomes.results) == sold, (round_no, len(outcomes.results), Counter(outcomes.codes))
        assert outcomes.codes == ["INSUFFICIENT_STOCK"] * (carts - sold)
        assert Order.objects.count() - before == sold
        a.variant.refresh_from_db()
        b.variant.refresh_from_db()
        assert (a.variant.stock, b.variant.stock) == (stock_a - sold, stock_b - sold)
        assert watcher.lowest is not None and watcher.lowest >= 0
    # Every order has both sellers' parts.
    assert all(order.seller_orders.count() == 2 for order in Order.objects.all())


# --- e. the seller edits the variant while buyers complete --------------------------------------


def test_seller_editing_the_variant_while_buyers_complete_never_deadlocks(regions: None) -> None:
    """variant_update locks the product, then the variant; completing a checkout must take the
    same rows in the same order, or the two deadlock (PostgreSQL aborts one of them)."""
    from backend.catalog.services import VariantData, variant_update

    shop = make_shop(price=50_000, stock=1_000)
    buyers, edits, rounds = 10, 10, 3
    data = VariantData(sku=shop.variant.sku, name=shop.variant.name, price=50_000, stock=1_000, weight_grams=500)
    for round_no in range(rounds):
        ids = [_ready_checkout([(shop, 1)], index=round_no * buyers + i).pk for i in range(buyers)]

        def prepare(index: int, ids: list[int] = ids) -> Any:
            if index < buyers:
                return Checkout.objects.get(pk=ids[index])
            return ProductVariant.objects.select_related("product").get(pk=shop.variant.pk)

        def buy(checkout: Checkout) -> str:
            return order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None).order.number

        def edit(variant: ProductVariant) -> str:
            variant_update(variant=variant, actor=shop.staff, data=data)
            return "edited"

        outcomes = _run_concurrently([buy] * buyers + [edit] * edits, prepare=prepare)
        assert outcomes.unexpected == [], (round_no, outcomes.unexpected)
        assert outcomes.codes == []
        assert outcomes.results.count("edited") == edits
    assert Order.objects.count() == buyers * rounds


def test_seller_editing_the_variant_while_orders_are_cancelled_never_deadlocks(regions: None) -> None:
    """Cancelling puts the stock back (variants, then product): the same order as above."""
    from backend.catalog.services import VariantData, variant_update
    from backend.orders.models import SellerOrder

    shop = make_shop(price=50_000, stock=1_000)
    orders, edits = 10, 10
    for i in range(orders):
        checkout = _ready_checkout([(shop, 1)], index=i)
        order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None)
    seller_order_ids = list(SellerOrder.objects.values_list("pk", flat=True))
    data = VariantData(sku=shop.variant.sku, name=shop.variant.name, price=50_000, stock=1_000, weight_grams=500)

    def prepare(index: int) -> Any:
        if index < orders:
            return SellerOrder.objects.select_related("seller").get(pk=seller_order_ids[index])
        return ProductVariant.objects.select_related("product").get(pk=shop.variant.pk)

    def cancel(seller_order: SellerOrder) -> str:
        order_services.seller_order_cancel(seller_order=seller_order, actor=shop.staff, reason="Hết hàng")
        return "cancelled"

    def edit(variant: ProductVariant) -> str:
        variant_update(variant=variant, actor=shop.staff, data=data)
        return "edited"

    outcomes = _run_concurrently([cancel] * orders + [edit] * edits, prepare=prepare)
    assert outcomes.unexpected == [], outcomes.unexpected
    assert outcomes.codes == []
    assert sorted(Counter(outcomes.results).items()) == [("cancelled", orders), ("edited", edits)]
