"""Writing the tax withheld: TaxLine rows per category and the TAX_* ledger entries per seller order.

Called from the orders ledger's signals, inside the transaction that records the sale or refund
(so the tax is there exactly when the money is). Both are idempotent: the unique constraints on
TaxLine and LedgerEntry make a replay write nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from backend.catalog.models import ProductKind, TaxCategory
from backend.checkout.models import DeliveryKind
from backend.core.gateways import is_cash
from backend.orders.models import LedgerEntry, LedgerKind, OrderLine, Refund, SellerOrder
from backend.tax.models import TaxLine, TaxMode
from backend.tax.rates import Rate, rate_for, rates_on, share_of, tax_of
from backend.tax.status import seller_is_withheld


def month_of(moment: datetime) -> date:
    """The declaration period (first day of the local month) of `moment`."""
    return timezone.localtime(moment).date().replace(day=1)


def mode_of(seller_order: SellerOrder) -> str:
    """Paid through the platform (online, or cash a carrier collected and remits) → withheld;
    cash the seller collected itself → self-declared."""
    if not is_cash(seller_order.order.gateway) or seller_order.delivery_kind == DeliveryKind.CARRIER:
        return TaxMode.WITHHELD
    return TaxMode.SELF_DECLARED


def line_category(line: OrderLine) -> str | None:
    """The tax category of an order line: the product's own, else from its kind; None if unknown."""
    if line.booking is not None:
        product = line.booking.product
    elif line.variant is not None:
        product = line.variant.product
    else:
        return None
    if product.tax_category:
        return str(product.tax_category)
    return TaxCategory.SERVICE if product.kind == ProductKind.EXPERIENCE else TaxCategory.GOODS


@dataclass(frozen=True)
class Part:
    category: str
    unknown: bool
    revenue: int
    rate: Rate


def revenue_by_category(seller_order: SellerOrder, *, rates: dict[str, Rate]) -> list[Part]:
    """The seller order's gross revenue split by category; the delivery fee is transport."""
    totals: dict[tuple[str | None, bool], int] = defaultdict(int)
    lines = OrderLine.objects.filter(seller_order=seller_order).select_related("variant__product", "booking__product")
    in_lines = 0
    for line in lines:
        category = line_category(line)
        rate = rate_for(category, rates=rates)
        totals[(rate.category, rate.unknown)] += line.total
        in_lines += line.total
    delivery = seller_order.total - in_lines
    if delivery > 0:
        totals[(TaxCategory.TRANSPORT, False)] += delivery
    parts = []
    for (category, unknown), revenue in sorted(totals.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        rate = rate_for(None if unknown else category, rates=rates)
        parts.append(Part(category=str(category), unknown=unknown, revenue=revenue, rate=rate))
    return parts


def _insert(row: Any) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


def _ledger(seller_order: SellerOrder, *, kind: str, amount: int, refund: Refund | None = None) -> None:
    if amount:
        _insert(
            LedgerEntry(
                seller_id=seller_order.seller_id,
                seller_order=seller_order,
                refund=refund,
                kind=kind,
                amount=amount,
                note=seller_order.order.number,
            )
        )


def record_sale_tax(*, seller_order: SellerOrder, now: datetime | None = None) -> list[TaxLine]:
    """The tax on a sale just recorded, at the rates in force at `now` (when it was paid)."""
    seller = seller_order.seller
    if not seller_is_withheld(seller):
        return []
    moment = now or timezone.now()
    mode = mode_of(seller_order)
    rates = rates_on(timezone.localtime(moment).date())
    if not rates:  # before Decree 117 took effect: nothing to withhold
        return []
    written = []
    for part in revenue_by_category(seller_order, rates=rates):
        row = TaxLine(
            seller=seller,
            province_id=seller.commune.province_id,
            seller_order=seller_order,
            mode=mode,
            category=part.category,
            category_unknown=part.unknown,
            revenue=part.revenue,
            vat_bp=part.rate.vat_bp,
            pit_bp=part.rate.pit_bp,
            vat=tax_of(part.revenue, part.rate.vat_bp),
            pit=tax_of(part.revenue, part.rate.pit_bp),
            occurred_at=moment,
            period=month_of(moment),
        )
        if _insert(row):
            written.append(row)
    if mode == TaxMode.WITHHELD and written:
        _ledger(seller_order, kind=LedgerKind.TAX_VAT_WITHHELD, amount=-sum(r.vat for r in written))
        _ledger(seller_order, kind=LedgerKind.TAX_PIT_WITHHELD, amount=-sum(r.pit for r in written))
    return written


def record_refund_tax(*, refund: Refund, now: datetime | None = None) -> list[TaxLine]:
    """Reverse the tax of the refunded part, in the period of the refund (Decree 117 offsets tax on
    cancelled and returned sales)."""
    seller_order = refund.seller_order
    if seller_order is None:
        return []
    sums = (
        TaxLine.objects.filter(seller_order=seller_order)
        .values("category", "category_unknown", "mode", "vat_bp", "pit_bp")
        .annotate(revenue=Sum("revenue"), vat=Sum("vat"), pit=Sum("pit"))
        .order_by("category", "category_unknown")
    )
    sold = {
        (r["category"], r["category_unknown"]): r
        for r in TaxLine.objects.filter(seller_order=seller_order, refund__isnull=True).values()
    }
    if not sold:
        return []
    full = seller_order.refunded_amount >= seller_order.total
    moment = now or timezone.now()
    written = []
    for left in sums:
        original = sold[(left["category"], left["category_unknown"])]
        if full:
            revenue, vat, pit = int(left["revenue"]), int(left["vat"]), int(left["pit"])
        else:

            def part(value: int, remaining: int) -> int:
                return min(share_of(value, part=refund.amount, whole=seller_order.total), remaining)

            revenue = part(original["revenue"], int(left["revenue"]))
            vat = part(original["vat"], int(left["vat"]))
            pit = part(original["pit"], int(left["pit"]))
        if not (revenue or vat or pit):
            continue
        row = TaxLine(
            seller_id=seller_order.seller_id,
            province_id=original["province_id"],
            seller_order=seller_order,
            refund=refund,
            mode=left["mode"],
            category=left["category"],
            category_unknown=left["category_unknown"],
            revenue=-revenue,
            vat_bp=left["vat_bp"],
            pit_bp=left["pit_bp"],
            vat=-vat,
            pit=-pit,
            occurred_at=moment,
            period=month_of(moment),
        )
        if _insert(row):
            written.append(row)
    withheld = [r for r in written if r.mode == TaxMode.WITHHELD]
    if withheld:
        _ledger(seller_order, kind=LedgerKind.TAX_VAT_REVERSAL, amount=-sum(r.vat for r in withheld), refund=refund)
        _ledger(seller_order, kind=LedgerKind.TAX_PIT_REVERSAL, amount=-sum(r.pit for r in withheld), refund=refund)
    return written


def on_sale_recorded(sender: Any, *, seller_order: SellerOrder, **kwargs: Any) -> None:
    record_sale_tax(seller_order=seller_order)


def on_refund_recorded(sender: Any, *, refund: Refund, **kwargs: Any) -> None:
    record_refund_tax(refund=refund)
