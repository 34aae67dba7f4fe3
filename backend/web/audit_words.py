"""The audit log in words: "Approved the seller (Pending → Approved)" instead of `seller.approve`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.experiences.models import BookingStatus, SlotStatus, TicketStatus
from backend.orders.models import CodStatus, OrderStatus, PaymentStatus, SellerOrderStatus
from backend.sellers.models import SellerStatus

ACTIONS: dict[str, Promise] = {
    "seller.apply": gettext_lazy("Applied to sell"),
    "seller.approve": gettext_lazy("Approved the seller"),
    "seller.reject": gettext_lazy("Rejected the application"),
    "seller.suspend": gettext_lazy("Suspended the seller"),
    "seller.reinstate": gettext_lazy("Reinstated the seller"),
    "seller.import": gettext_lazy("Imported the seller from a file"),
    "seller.payout": gettext_lazy("Recorded a payout to the seller"),
    "product.hide": gettext_lazy("Hid the product from buyers"),
    "product.unhide": gettext_lazy("Showed the product again"),
    "product.import": gettext_lazy("Imported the product from a file"),
    "listing_report.dismiss": gettext_lazy("Dismissed a report on the listing"),
    "certification.verify": gettext_lazy("Verified a certification"),
    "order.create": gettext_lazy("Order placed"),
    "seller_order.confirm": gettext_lazy("Confirmed the order"),
    "seller_order.fulfill": gettext_lazy("Handed the order over for delivery"),
    "seller_order.cancel": gettext_lazy("Cancelled the order"),
    "seller_order.delivered": gettext_lazy("Marked the order as delivered"),
    "payment.refund": gettext_lazy("Refunded a payment"),
    "booking.cancel": gettext_lazy("Cancelled a booking"),
    "booking.no_show": gettext_lazy("Recorded a no-show"),
    "slot.create": gettext_lazy("Added a slot"),
    "slot.capacity": gettext_lazy("Changed the places of a slot"),
    "slot.cancel": gettext_lazy("Cancelled a slot"),
    "experience.update": gettext_lazy("Updated the experience"),
    "experience.schedule_create": gettext_lazy("Added a weekly schedule"),
    "experience.schedule_delete": gettext_lazy("Stopped a weekly schedule"),
    "experience.blackout_add": gettext_lazy("Added a blackout date"),
    "experience.blackout_remove": gettext_lazy("Removed a blackout date"),
    "ticket.check_in": gettext_lazy("Checked a ticket in"),
}
STATES_OF_TARGET: dict[str, type[models.TextChoices]] = {
    "seller": SellerStatus,
    "sellerorder": SellerOrderStatus,
    "order": OrderStatus,
    "payment": PaymentStatus,
    "booking": BookingStatus,
    "slot": SlotStatus,
    "ticket": TicketStatus,
}


def _states(entry: Any) -> type[models.TextChoices] | None:
    if entry.action.startswith("cod."):
        return CodStatus
    return STATES_OF_TARGET.get(entry.target_type)


def state_label(entry: Any, value: str) -> str:
    choices = _states(entry)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def action_words(entry: Any) -> str:
    """What the entry records, in the reader's language."""
    known = ACTIONS.get(entry.action)
    if known is not None:
        return str(known)
    kind, _dot, event = entry.action.partition(".")
    if kind == "cod":
        return _("Cash on delivery: %(state)s") % {"state": state_label(entry, event.upper())}
    if kind == "payment":
        return _("Payment: %(state)s") % {"state": state_label(entry, event.upper())}
    return entry.action
