"""The buyer's orders (`/account/orders/`): tabs by status, each order with the timeline of its seller
orders, and the look-up by order number and e-mail or phone for orders placed without an account.

Reads come from `backend.orders.selectors` (`buyer_orders`, `seller_order_timeline`), the look-up
from `backend.orders.lookup` (throttled like sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.experiences.selectors import tickets_of_orders
from backend.orders.lookup import order_lookup
from backend.orders.models import Order, SellerOrder
from backend.orders.selectors import (
    OrderTab,
    TimelineStep,
    buyer_order_counts,
    buyer_orders,
    order_paid_at,
    seller_order_timeline,
)
from backend.web.forms.storefront import OrderLookupForm
from backend.web.views.common import PageWindow, add_domain_errors, page_number, signed_in

PAGE_SIZE = 10
TAB_LABELS = {
    OrderTab.ALL: _("All"),
    OrderTab.TO_CONFIRM: _("Waiting for confirmation"),
    OrderTab.SHIPPING: _("On the way"),
    OrderTab.DELIVERED: _("Delivered"),
    OrderTab.CANCELLED: _("Cancelled"),
}


@dataclass
class PartCard:
    part: SellerOrder
    steps: list[TimelineStep]


@dataclass
class OrderCard:
    order: Order
    parts: list[PartCard]
    tickets: int


def order_parts(order: Order) -> list[PartCard]:
    """Each seller order of `order` (seller orders, refunds and payments prefetched) with its timeline."""
    paid_at = order_paid_at(order)
    parts = order.seller_orders.all()
    return [PartCard(part=part, steps=seller_order_timeline(part, paid_at=paid_at)) for part in parts]


def _lookup_page(request: HttpRequest, form: OrderLookupForm, status: int = 200) -> HttpResponse:
    return render(request, "web/account/orders_lookup.html", {"form": form}, status=status)


@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    if not signed_in(request):
        return _lookup_page(request, OrderLookupForm())
    tab = request.GET.get("tab", OrderTab.ALL)
    if tab not in OrderTab.ORDER:
        tab = OrderTab.ALL
    counts = buyer_order_counts(user=request.user)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=counts[tab])
    orders = list(buyer_orders(user=request.user, tab=tab)[window.offset : window.offset + PAGE_SIZE])
    tickets = tickets_of_orders(order.pk for order in orders)
    context: dict[str, Any] = {
        "cards": [
            OrderCard(order=order, parts=order_parts(order), tickets=len(tickets.get(order.pk, []))) for order in orders
        ],
        "tab": tab,
        "tabs": [(name, TAB_LABELS[name], counts[name]) for name in OrderTab.ORDER],
        "window": window,
        "form": OrderLookupForm(),
    }
    return render(request, "web/account/orders.html", context)


@require_POST
def order_find(request: HttpRequest) -> HttpResponse:
    """An order by its number and the e-mail or phone it was placed with (no account needed)."""
    form = OrderLookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, form, status=400)
    try:
        order = order_lookup(
            number=form.cleaned_data["number"], contact=form.cleaned_data["contact"], ip=client_ip(request)
        )
    except DomainError as exc:
        add_domain_errors(form, exc, {})
        return _lookup_page(request, form, status=429 if exc.code == "THROTTLED" else 404)
    return HttpResponseRedirect(reverse("web:order", args=[order.token]))
