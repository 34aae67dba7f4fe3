"""Seller portal: orders (confirm, fulfil, cancel, cash on delivery), payouts and staff.

Only the seller's own orders are ever loaded (`seller_order_of` filters by the seller the user works
for); the order services check the staff again before any change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.core.errors import DomainError
from backend.orders import ledger
from backend.orders.models import CodStatus, SellerOrder, SellerOrderStatus
from backend.orders.selectors import (
    ledger_entries_of,
    seller_order_actions,
    seller_order_of,
    seller_order_queue,
    seller_order_timeline,
)
from backend.orders.services import (
    cod_record,
    seller_order_cancel,
    seller_order_confirm,
    seller_order_fulfill,
    seller_order_mark_delivered,
)
from backend.sellers.models import Seller
from backend.sellers.permissions import is_seller_owner
from backend.sellers.selectors import invitations_of, staff_of
from backend.sellers.services import seller_invitation_accept, seller_staff_invite
from backend.web.forms.seller import AcceptInvitationForm, CancelForm, CodForm, FulfilForm, InviteForm
from backend.web.views.common import PageWindow, add_domain_errors, login_required, page_number
from backend.web.views.seller import members_only, portal_render, staff_seller

PAGE_SIZE = 30
# What the seller's button says for each cash-on-delivery event it may record.
COD_EVENT_BUTTONS: dict[str, Promise] = {
    CodStatus.COLLECTED: gettext_lazy("Cash received from the buyer"),
    CodStatus.DELIVERY_FAILED: gettext_lazy("Delivery failed"),
    CodStatus.IN_TRANSIT: gettext_lazy("Deliver again"),
    CodStatus.RETURNING: gettext_lazy("Send back to us"),
    CodStatus.RETURNED: gettext_lazy("Goods are back (restock)"),
}


@staff_seller
@require_GET
def orders(request: HttpRequest, seller: Seller) -> HttpResponse:
    status = request.GET.get("status", SellerOrderStatus.UNCONFIRMED)
    if status not in SellerOrderStatus.values and status != "ALL":
        status = SellerOrderStatus.UNCONFIRMED
    queue = seller_order_queue(seller_id=seller.pk, status=None if status == "ALL" else status)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=queue.count())
    context = {
        "orders": list(queue[window.offset : window.offset + PAGE_SIZE]),
        "window": window,
        "status": status,
        "statuses": [*SellerOrderStatus.choices, ("ALL", _("All"))],
        "section": "orders",
    }
    return portal_render(request, seller, "web/seller/orders.html", context)


def _order_of(seller: Seller, pk: int) -> SellerOrder:
    found = seller_order_of(seller_id=seller.pk, pk=pk)
    if found is None:
        raise Http404("not this seller's order")
    return found


def _order_page(
    request: HttpRequest, seller: Seller, order: SellerOrder, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    actions = seller_order_actions(order)
    context = {
        "order": order,
        "fulfil_form": forms.get("fulfil") or FulfilForm(),
        "cancel_form": forms.get("cancel") or CancelForm(),
        "cod_form": forms.get("cod"),
        "actions": actions,
        "cod_events": [(event, CodStatus(event).label, COD_EVENT_BUTTONS.get(event)) for event in actions.cod_events],
        "steps": seller_order_timeline(order),
        "section": "orders",
    }
    return portal_render(request, seller, "web/seller/order.html", context, status=status)


@staff_seller
@require_GET
def order_detail(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    return _order_page(request, seller, _order_of(seller, pk))


@staff_seller
@require_POST
def order_act(request: HttpRequest, seller: Seller, pk: int, action: str) -> HttpResponse:
    order = _order_of(seller, pk)
    form: Any = None
    try:
        if action == "confirm":
            seller_order_confirm(seller_order=order, actor=request.user)
            messages.success(request, _("Order confirmed."))
        elif action == "fulfil":
            form = FulfilForm(request.POST)
            if not form.is_valid():
                return _order_page(request, seller, order, {"fulfil": form}, status=400)
            seller_order_fulfill(
                seller_order=order, actor=request.user, tracking_number=form.cleaned_data["tracking_number"]
            )
            messages.success(request, _("Marked as handed over."))
        elif action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                return _order_page(request, seller, order, {"cancel": form}, status=400)
            seller_order_cancel(seller_order=order, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Order cancelled; the stock is back."))
        elif action == "cod":
            form = CodForm(request.POST)
            if not form.is_valid():
                return _order_page(request, seller, order, {"cod": form}, status=400)
            cod_record(seller_order=order, actor=request.user, status=form.cleaned_data["status"])
            messages.success(request, _("Cash on delivery updated."))
        elif action == "delivered":
            seller_order_mark_delivered(seller_order=order, actor=request.user)
            messages.success(request, _("Marked as delivered."))
        else:
            raise Http404("unknown action")
    except DomainError as exc:
        key = {"fulfil": "fulfil", "cancel": "cancel", "cod": "cod"}.get(action)
        if form is not None and key is not None:
            add_domain_errors(form, exc, {"trackingNumber": "tracking_number", "reason": "reason", "status": "status"})
            return _order_page(request, seller, _order_of(seller, pk), {key: form}, status=400)
        for detail in exc.details:
            messages.error(request, str(detail.message))
    return HttpResponseRedirect(reverse("seller:order", args=[seller.pk, order.pk]))


@staff_seller
@members_only
@require_GET
def payouts(request: HttpRequest, seller: Seller) -> HttpResponse:
    entries = ledger_entries_of(seller_id=seller.pk)
    window = PageWindow(number=page_number(request), size=50, total=entries.count())
    context = {
        "balance": ledger.balance(seller=seller),
        "available": ledger.available_for_payout(seller=seller),
        "entries": list(entries[window.offset : window.offset + 50]),
        "window": window,
        "section": "payouts",
    }
    return portal_render(request, seller, "web/seller/payouts.html", context)


@staff_seller
@members_only
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, seller: Seller) -> HttpResponse:
    owner = is_seller_owner(user=request.user, seller=seller)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seller_staff_invite(seller=seller, actor=request.user, email=form.cleaned_data["email"])
        except DomainError as exc:
            add_domain_errors(form, exc, {"email": "email"})
        else:
            messages.success(request, _("Invitation sent by e-mail."))
            return HttpResponseRedirect(reverse("seller:staff", args=[seller.pk]))
    context = {
        "members": staff_of(seller=seller),
        "invitations": invitations_of(seller=seller) if owner else [],
        "form": form,
        "is_owner": owner,
        "section": "staff",
    }
    return portal_render(request, seller, "web/seller/staff.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    """The link in the invitation e-mail lands here (`?token=…`); the signed-in invitee accepts."""
    form = AcceptInvitationForm(request.POST or None, initial={"token": request.GET.get("token", "")})
    if request.method == "POST" and form.is_valid():
        try:
            membership = seller_invitation_accept(token=form.cleaned_data["token"], user=request.user)
        except DomainError as exc:
            add_domain_errors(form, exc, {"token": "token"})
        else:
            messages.success(request, _("You have joined %(seller)s.") % {"seller": membership.seller.name})
            return HttpResponseRedirect(reverse("seller:dashboard", args=[membership.seller_id]))
    return portal_render(
        request, None, "web/seller/invitation.html", {"form": form}, status=400 if form.errors else 200
    )
