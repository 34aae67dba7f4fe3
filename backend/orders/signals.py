"""Ledger events other apps add their own entries to, in the same transaction (sent by `ledger.py`).

Apps above orders (tax) connect receivers in their AppConfig.ready; orders imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

# sender=SellerOrder, seller_order=…: its SALE entry was just written (once per seller order).
sale_written = Signal()
# sender=Refund, refund=…: its REFUND entry was just written (once per refund).
refund_written = Signal()
