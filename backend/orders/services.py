"""Write side of orders, the entry points other apps, the API and the web call. The work lives in
one module per concern:

- `completion`: completing a checkout into an order split per seller;
- `seller_orders`: the seller-order state machine (confirm, fulfil, deliver, cancel, unpaid orders);
- `cod`: cash on delivery and payouts;
- `refunds` and `payments`: money back and gateway notifications;
- `transitions`: the transition helpers these share; `errors`: the domain errors.
"""

from __future__ import annotations

from backend.orders.cod import COD_EVENT_ACTS, cod_event_act, cod_record, mark_payout_eligible, payout_record
from backend.orders.completion import CompleteResult, checkout_complete
from backend.orders.errors import DeliveryMethodRequired, GatewayUnavailable, ShippingAddressRequired
from backend.orders.seller_orders import (
    cancel_if_empty,
    cancel_unpaid_orders,
    confirm_paid_seller_orders,
    seller_order_cancel,
    seller_order_confirm,
    seller_order_fulfill,
    seller_order_mark_delivered,
)
from backend.orders.transitions import derive_order_status, refresh_order_status

__all__ = [
    "COD_EVENT_ACTS",
    "CompleteResult",
    "DeliveryMethodRequired",
    "GatewayUnavailable",
    "ShippingAddressRequired",
    "cancel_if_empty",
    "cancel_unpaid_orders",
    "checkout_complete",
    "cod_event_act",
    "cod_record",
    "confirm_paid_seller_orders",
    "derive_order_status",
    "mark_payout_eligible",
    "payout_record",
    "refresh_order_status",
    "seller_order_cancel",
    "seller_order_confirm",
    "seller_order_fulfill",
    "seller_order_mark_delivered",
]
