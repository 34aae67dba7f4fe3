"""Finding an order without an account: its number and the e-mail or phone it was placed with.

The order number is short and printed on receipts, so guesses are throttled like sign-in
(`accounts.throttle`, scope "order-lookup"): failures count against the order number and against
the client's IP, and a blocked look-up is refused before anything is compared.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.accounts import throttle
from backend.accounts.phones import normalize_vn_phone
from backend.core.errors import NotFound, Throttled, ValidationFailed
from backend.orders.models import Order

SCOPE = "order-lookup"


def _matches(order: Order, contact: str) -> bool:
    if "@" in contact:
        return bool(order.email) and order.email.strip().lower() == contact.lower()
    try:
        return normalize_vn_phone(contact) == order.phone
    except ValidationFailed:
        return False


def order_lookup(*, number: str, contact: str, ip: str | None) -> Order:
    """The order numbered `number` when `contact` is its e-mail or phone; NotFound otherwise (the
    same answer whether the number or the contact is wrong), Throttled after too many failures."""
    number = "".join((number or "").split()).upper().removeprefix("#")
    contact = (contact or "").strip()
    if not number or not contact:
        raise ValidationFailed(_("Enter the order number and your e-mail or phone."), code="REQUIRED")
    if throttle.is_blocked(email=number, ip=ip, scope=SCOPE):
        raise Throttled()
    order = Order.objects.filter(number=number).first()
    if order is None or not _matches(order, contact):
        throttle.record_failure(email=number, ip=ip, scope=SCOPE)
        raise NotFound(_("No order matches this number and e-mail or phone."))
    return order
