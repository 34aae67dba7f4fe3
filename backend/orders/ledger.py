"""The seller payout ledger: every movement of a seller's money is one append-only entry.

Positive amounts are owed to the seller. A balance is a SUM over entries, never a stored figure."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from backend.orders.models import LedgerEntry, LedgerKind, Refund, SellerOrder
from backend.orders.signals import refund_written, sale_written
from backend.sellers.models import Seller


def commission_for(*, subtotal: int, rate_bp: int) -> int:
    """Commission in whole đồng, rounded half up, on the goods (delivery fees go to the seller)."""
    return (subtotal * rate_bp + 5_000) // 10_000


def _once(entry: LedgerEntry) -> bool:
    """Insert unless the unique constraint says it is already there (replays)."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return False
    return True


def record_sale(seller_order: SellerOrder) -> None:
    """Money for this seller order was received (paid online or cash collected): the seller is owed
    its total, less the commission. Recorded at most once per seller order."""
    number = seller_order.order.number
    first = _once(
        LedgerEntry(
            seller_id=seller_order.seller_id,
            seller_order=seller_order,
            kind=LedgerKind.SALE,
            amount=seller_order.total,
            note=number,
        )
    )
    if seller_order.commission:
        _once(
            LedgerEntry(
                seller_id=seller_order.seller_id,
                seller_order=seller_order,
                kind=LedgerKind.COMMISSION,
                amount=-seller_order.commission,
                note=number,
            )
        )
    if first:
        sale_written.send(sender=SellerOrder, seller_order=seller_order)


def sale_recorded(seller_order: SellerOrder) -> bool:
    return LedgerEntry.objects.filter(seller_order=seller_order, kind=LedgerKind.SALE).exists()


def record_refund(refund: Refund) -> None:
    """A refund for a seller order whose sale is on the ledger: the seller gives the money back and
    the platform returns the matching share of its commission."""
    seller_order = refund.seller_order
    if seller_order is None or not sale_recorded(seller_order):
        return
    first = _once(
        LedgerEntry(
            seller_id=seller_order.seller_id,
            seller_order=seller_order,
            refund=refund,
            kind=LedgerKind.REFUND,
            amount=-refund.amount,
            note=seller_order.order.number,
        )
    )
    reversed_so_far = int(
        LedgerEntry.objects.filter(seller_order=seller_order, kind=LedgerKind.COMMISSION_REVERSAL).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    if seller_order.refunded_amount >= seller_order.total:  # fully refunded: return all of it
        share = seller_order.commission
    else:
        share = seller_order.commission * refund.amount // seller_order.total if seller_order.total else 0
    reversal = min(share, seller_order.commission - reversed_so_far)
    if reversal > 0:
        _once(
            LedgerEntry(
                seller_id=seller_order.seller_id,
                seller_order=seller_order,
                refund=refund,
                kind=LedgerKind.COMMISSION_REVERSAL,
                amount=reversal,
                note=seller_order.order.number,
            )
        )
    if first:
        refund_written.send(sender=Refund, refund=refund)


def balance(*, seller: Seller) -> int:
    return int(LedgerEntry.objects.filter(seller=seller).aggregate(s=Sum("amount"))["s"] or 0)


def available_for_payout(*, seller: Seller, now: datetime | None = None) -> int:
    """What may be paid out now: entries of seller orders past their holding period, plus entries
    not tied to an order (earlier payouts)."""
    moment = now or timezone.now()
    condition = Q(seller_order__isnull=True) | Q(seller_order__payout_eligible_at__lte=moment)
    return int(LedgerEntry.objects.filter(seller=seller).filter(condition).aggregate(s=Sum("amount"))["s"] or 0)
