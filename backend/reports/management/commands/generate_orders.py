"""manage.py generate_orders --orders 200000 [--months 12] [--province lam-dong] [--seed 1]

Synthetic trade for the province dashboard benchmark and demos: orders spread over the last
N months, bulk-inserted in batches straight into the order tables with their ledger entries, as
the checkout and payment services would have left them. Most are paid online or by cash on
delivery (SALE and COMMISSION entries), some partly or fully refunded (REFUND entries), some
cancelled unpaid (no entry). When the province has fewer than 40 approved sellers with products,
approved sellers with a few products each are added first. Never run it on production data.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product, ProductKind, ProductVariant
from backend.orders.models import (
    CodStatus,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.regions.loader import load_regions
from backend.regions.models import Commune, Province
from backend.regions.selectors import province_filter
from backend.regions.served import default_province_slug
from backend.sellers.models import Seller, SellerKind, SellerStatus
from payments.cod import CashOnDeliveryGateway
from payments.vnpay import VNPayGateway

BATCH = 2000
MIN_SELLERS = 40


@contextmanager
def _keep_given_dates(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create store the created_at we set instead of now (auto_now_add off meanwhile)."""
    switched = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now_add or field.auto_now):
                switched.append((field, field.auto_now_add, field.auto_now))
                field.auto_now_add = field.auto_now = False
    try:
        yield
    finally:
        for field, add, now in switched:
            field.auto_now_add, field.auto_now = add, now


class Command(BaseCommand):
    help = "Generate synthetic paid, refunded and cancelled orders for the province dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=1000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--province", default=default_province_slug())
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        load_regions()
        province = Province.objects.filter(province_filter(options["province"])).first()
        if province is None:
            raise CommandError(f"Unknown province {options['province']!r}.")
        communes = list(Commune.objects.filter(province=province))
        if not communes:
            raise CommandError(f"{province.name} has no communes loaded.")
        started = time.perf_counter()
        variants = self._catalog(province, communes, rng)
        end = timezone.now()
        start = end - timedelta(days=30 * options["months"])
        run = secrets.token_hex(3).upper()
        total = options["orders"]
        made = 0
        with _keep_given_dates(Order, SellerOrder, LedgerEntry):
            while made < total:
                size = min(BATCH, total - made)
                self._batch(size, made, run, variants, communes, start, end, rng)
                made += size
                if made % 20_000 == 0 or made == total:
                    self.stdout.write(f"{made} orders ({time.perf_counter() - started:.0f} s)")
        self.stdout.write(f"Generated {made} orders in {province.name} in {time.perf_counter() - started:.1f} s.")

    def _catalog(
        self, province: Province, communes: list[Commune], rng: random.Random
    ) -> dict[int, list[tuple[int, int, str, str, str]]]:
        """seller id → [(variant id, price, product name, variant name, sku)] of approved sellers."""
        seed_categories()
        sellers = Seller.objects.filter(commune__province=province, status=SellerStatus.APPROVED)
        have = sellers.filter(products__variants__isnull=False).distinct().count()
        if have < MIN_SELLERS:
            categories = list(Category.objects.filter(kind=ProductKind.GOODS))
            for index in range(MIN_SELLERS - have):
                commune = communes[(index * 7) % len(communes)]
                tag = secrets.token_hex(3)
                seller = Seller.objects.create(
                    kind=rng.choice([SellerKind.COOPERATIVE, SellerKind.HOUSEHOLD, SellerKind.ENTERPRISE]),
                    name=f"HTX Sinh {tag} (bench)",
                    slug=f"htx-sinh-{tag}",
                    commune=commune,
                    phone="+84903123456",
                    status=SellerStatus.APPROVED,
                    decided_at=timezone.now(),
                )
                for number in range(5):
                    category = rng.choice(categories)
                    price = rng.choice([35_000, 60_000, 85_000, 120_000, 180_000, 250_000])
                    product = Product.objects.create(
                        name=f"{category.name} {tag}-{number}",
                        slug=f"sp-{tag}-{number}",
                        category=category,
                        seller=seller,
                        commune=commune,
                        ocop_stars=rng.choice([None, None, None, 3, 4]),
                        is_published=True,
                        price_min=price,
                        price_max=price,
                        in_stock=True,
                    )
                    ProductVariant.objects.create(
                        product=product, seller=seller, sku=f"B-{tag}-{number}", name="1 kg", price=price, stock=10**6
                    )
        result: dict[int, list[tuple[int, int, str, str, str]]] = {}
        rows = ProductVariant.objects.filter(
            seller__commune__province=province, seller__status=SellerStatus.APPROVED
        ).values_list("seller_id", "pk", "price", "product__name", "name", "sku")
        for seller_id, pk, price, product_name, variant_name, sku in rows:
            result.setdefault(seller_id, []).append((pk, price, product_name, variant_name, sku))
        return result

    @transaction.atomic
    def _batch(
        self,
        size: int,
        offset: int,
        run: str,
        variants: dict[int, list[tuple[int, int, str, str, str]]],
        communes: list[Commune],
        start: datetime,
        end: datetime,
        rng: random.Random,
    ) -> None:
        span = (end - start).total_seconds()
        seller_ids = list(variants)
        orders: list[Order] = []
        plans: list[tuple[datetime, str, list[tuple[int, list[tuple[tuple[int, int, str, str, str], int]]]]]] = []
        for index in range(size):
            placed = start + timedelta(seconds=rng.random() * span)
            fate = rng.random()
            outcome = "paid" if fate < 0.6 else "cash" if fate < 0.8 else "refunded" if fate < 0.9 else "cancelled"
            chosen = rng.sample(seller_ids, 2 if rng.random() < 0.15 and len(seller_ids) > 1 else 1)
            parts = []
            for seller_id in chosen:
                picks = rng.sample(variants[seller_id], min(len(variants[seller_id]), rng.randint(1, 3)))
                parts.append((seller_id, [(variant, rng.randint(1, 4)) for variant in picks]))
            total = sum(v[1] * q for _s, lines in parts for v, q in lines)
            orders.append(
                Order(
                    number=f"G{run}{offset + index:09d}",
                    full_name="Khách thử",
                    phone="+84903123456",
                    street="1 Đường thử",
                    commune=rng.choice(communes),
                    status=OrderStatus.CANCELLED if outcome == "cancelled" else OrderStatus.FULFILLED,
                    payment_status={
                        "paid": PaymentStatus.PAID,
                        "cash": PaymentStatus.PAID,
                        "refunded": PaymentStatus.PARTIALLY_REFUNDED,
                        "cancelled": PaymentStatus.FAILED,
                    }[outcome],
                    gateway=CashOnDeliveryGateway.id if outcome == "cash" else VNPayGateway.id,
                    subtotal=total,
                    delivery_total=0,
                    total=total,
                    created_at=placed,
                    updated_at=placed,
                )
            )
            plans.append((placed, outcome, parts))
        Order.objects.bulk_create(orders, batch_size=BATCH)
        seller_orders: list[SellerOrder] = []
        for order, (placed, outcome, parts) in zip(orders, plans, strict=True):
            for seller_id, lines in parts:
                subtotal = sum(v[1] * q for v, q in lines)
                refunded = 0
                if outcome == "refunded":
                    refunded = subtotal if rng.random() < 0.3 else subtotal // 4
                seller_orders.append(
                    SellerOrder(
                        order=order,
                        seller_id=seller_id,
                        status=SellerOrderStatus.CANCELLED if outcome == "cancelled" else SellerOrderStatus.FULFILLED,
                        subtotal=subtotal,
                        total=subtotal,
                        commission_rate_bp=500,
                        commission=subtotal * 5 // 100,
                        refunded_amount=refunded,
                        cod_status=CodStatus.COLLECTED if outcome == "cash" else "",
                        cancel_reason="unpaid" if outcome == "cancelled" else "",
                        created_at=placed,
                    )
                )
        SellerOrder.objects.bulk_create(seller_orders, batch_size=BATCH)
        lines_out: list[OrderLine] = []
        entries: list[LedgerEntry] = []
        by_order = {
            id(order): (placed, outcome, parts) for order, (placed, outcome, parts) in zip(orders, plans, strict=True)
        }
        parts_iter = iter(seller_orders)
        for order in orders:
            placed, outcome, parts = by_order[id(order)]
            for _seller_id, lines in parts:
                seller_order = next(parts_iter)
                for (variant_id, price, product_name, variant_name, sku), quantity in lines:
                    lines_out.append(
                        OrderLine(
                            seller_order=seller_order,
                            variant_id=variant_id,
                            product_name=product_name,
                            variant_name=variant_name,
                            sku=sku,
                            unit_price=price,
                            quantity=quantity,
                            total=price * quantity,
                        )
                    )
                if outcome == "cancelled":
                    continue
                paid_at = placed + timedelta(minutes=5 if outcome != "cash" else 60 * 24 * 2)
                entries.append(
                    LedgerEntry(
                        seller_id=seller_order.seller_id,
                        seller_order=seller_order,
                        kind=LedgerKind.SALE,
                        amount=seller_order.total,
                        note=order.number,
                        created_at=paid_at,
                    )
                )
                entries.append(
                    LedgerEntry(
                        seller_id=seller_order.seller_id,
                        seller_order=seller_order,
                        kind=LedgerKind.COMMISSION,
                        amount=-seller_order.commission,
                        note=order.number,
                        created_at=paid_at,
                    )
                )
                if seller_order.refunded_amount:
                    entries.append(
                        LedgerEntry(
                            seller_id=seller_order.seller_id,
                            seller_order=seller_order,
                            kind=LedgerKind.REFUND,
                            amount=-seller_order.refunded_amount,
                            note=order.number,
                            created_at=paid_at + timedelta(days=3),
                        )
                    )
        OrderLine.objects.bulk_create(lines_out, batch_size=BATCH)
        LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
