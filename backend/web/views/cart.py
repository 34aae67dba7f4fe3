"""Storefront cart and checkout (`/cart/`, `/checkout/`): a Checkout whose token lives in the session.

Plain POST forms that redirect (works without JavaScript); htmx posts the same forms and swaps the
cart in place for live totals. Completion calls `checkout_complete`, and the payment it returns says
where the buyer goes next (gateway page, QR on the order page, or nothing for cash on delivery).
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.checkout.models import Checkout
from backend.checkout.selectors import CheckoutSummary, checkout_by_token, summarize
from backend.checkout.services import (
    AddressData,
    LegacyAddress,
    LineInput,
    checkout_create,
    checkout_delivery_method_update,
    checkout_delivery_preselect,
    checkout_line_delete,
    checkout_lines_add,
    checkout_lines_update,
    checkout_shipping_address_update,
)
from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.orders.services import checkout_complete
from backend.regions.selectors import communes_list
from backend.web.forms.storefront import ADDRESS_FIELDS, AddressForm, AddToCartForm, PaymentForm
from backend.web.templatetags.web import fee_change_message
from backend.web.views.common import add_domain_errors, flash_domain_error, safe_next
from backend.web.views.province_storefront import storefront_province_slug

SESSION_KEY = "checkout_token"
COUNT_KEY = "cart_count"


def current_checkout(request: HttpRequest) -> Checkout | None:
    """The visitor's open checkout (the token is kept in the session)."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    checkout = checkout_by_token(token=token, user=request.user)
    if checkout is None or checkout.completed_at is not None:
        request.session.pop(SESSION_KEY, None)
        return None
    return checkout


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(request: HttpRequest, default: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default or reverse("web:cart")))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_path(request: HttpRequest) -> str:
    """The page the visitor is on: for an htmx request the page that sent it (never the fragment's
    own POST address, which answers GET with 405), else this request's path."""
    if _is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path and url_has_allowed_host_and_scheme(
            current.geturl(), allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return current.path
        return reverse("web:cart")
    return request.path


def remember_cart_count(request: HttpRequest, checkout: Checkout | None) -> int:
    """Lines in the cart (goods and bookings), kept in the session for the header badge."""
    count = checkout.lines.count() if checkout is not None else 0
    request.session[COUNT_KEY] = count
    return count


def _cart_context(request: HttpRequest, checkout: Checkout | None) -> dict[str, Any]:
    summary = summarize(checkout) if checkout is not None else None
    lines = [item.line for item in summary.lines] + [b.line for b in summary.bookings] if summary else []
    holds = [line.reserved_until for line in lines if line.reserved_until]
    request.session[COUNT_KEY] = len(lines)
    path = page_path(request)
    return {
        "summary": summary,
        "hold_until": min(holds) if holds else None,
        "next": path,
        "on_checkout": path.startswith(reverse("web:checkout")),
        "htmx": _is_htmx(request),
        "cart_count": len(lines),
    }


def _preselect(checkout: Checkout) -> None:
    """The cheapest delivery per seller, so the total shown is the total paid (see the service)."""
    with contextlib.suppress(DomainError):  # a completed or vanished checkout: the next page says so
        checkout_delivery_preselect(checkout=checkout)


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a product and a quantity between 1 and 999."))
        return _back(request)
    lines = [LineInput(variant_id=form.cleaned_data["variant"], quantity=form.cleaned_data["quantity"])]
    checkout = current_checkout(request)
    try:
        if checkout is None:
            checkout = checkout_create(user=request.user, lines=lines)
            request.session[SESSION_KEY] = str(checkout.token)
        else:
            checkout_lines_add(checkout=checkout, lines=lines)
    except DomainError as exc:
        flash_domain_error(request, exc)
        return _back(request)
    _preselect(checkout)
    remember_cart_count(request, checkout)
    messages.success(request, _("Added to your cart."))
    return redirect("web:cart")


@require_GET
def cart(request: HttpRequest) -> HttpResponse:
    return render(request, "web/storefront/cart.html", _cart_context(request, current_checkout(request)))


def _cart_answer(request: HttpRequest, checkout: Checkout | None) -> HttpResponse:
    """After a change: the cart fragment for htmx, a redirect otherwise (post/redirect/get)."""
    if _is_htmx(request):
        return render(request, "web/partials/cart_body.html", _cart_context(request, checkout))
    return _back(request)


def _wanted_quantities(post: Any) -> list[LineInput]:
    """`qty-<variant>` fields, overridden by the stepper button pressed (`set-<variant>`)."""
    wanted: dict[int, int] = {}
    for prefix in ("qty-", "set-"):
        for key, value in post.items():
            variant_id = _int(key.removeprefix(prefix)) if key.startswith(prefix) else None
            if variant_id is not None:
                quantity = _int(value)
                wanted[variant_id] = quantity if quantity is not None else -1
    return [LineInput(variant_id=variant_id, quantity=quantity) for variant_id, quantity in wanted.items()]


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    """Quantities typed (Enter submits them), a − / + stepper, or a line's "Remove" button."""
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    removed = _int(request.POST.get("remove"))
    try:
        if removed is not None:
            checkout_line_delete(checkout=checkout, line_id=removed)
        else:
            checkout_lines_update(checkout=checkout, lines=_wanted_quantities(request.POST))
            _preselect(checkout)
    except DomainError as exc:
        flash_domain_error(request, exc)
    return _cart_answer(request, checkout)


@require_POST
def cart_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    checkout = current_checkout(request)
    if checkout is not None:
        try:
            checkout_line_delete(checkout=checkout, line_id=line_id)
        except DomainError as exc:
            flash_domain_error(request, exc)
    return _cart_answer(request, checkout)


@require_POST
def cart_delivery(request: HttpRequest) -> HttpResponse:
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    seller_id, method_id = _int(request.POST.get("seller")), _int(request.POST.get("method"))
    if seller_id is None or method_id is None:
        messages.error(request, _("Choose a delivery method."))
        return _back(request)
    try:
        checkout_delivery_method_update(checkout=checkout, seller_id=seller_id, method_id=method_id)
    except DomainError as exc:
        flash_domain_error(request, exc)
    return _cart_answer(request, checkout)


def _commune_choices(request: HttpRequest, search: str, selected: int | None) -> list[tuple[int, str]]:
    """Communes for the picker: the province of the storefront the buyer came from (the default
    one otherwise), any province when searching."""
    start = None if search else storefront_province_slug(request)
    found = communes_list(province=start, search=search or None)[:200]
    choices = [(c.pk, c.name if not search else f"{c.name} ({c.province.name})") for c in found]
    if selected is not None and selected not in {pk for pk, _name in choices}:
        choices += [(c.pk, f"{c.name} ({c.province.name})") for c in communes_list().filter(pk=selected)]
    return choices


@require_GET
def commune_options(request: HttpRequest) -> HttpResponse:
    """The picker's <option>s for a search (htmx swaps them into the select)."""
    choices = _commune_choices(request, request.GET.get("commune_search", "").strip()[:100], None)
    return render(request, "web/partials/commune_options.html", {"choices": choices})


def _address_form(request: HttpRequest, checkout: Checkout, data: Any = None) -> AddressForm:
    search = request.GET.get("commune_search", "").strip()[:100]
    initial = {
        "full_name": checkout.full_name,
        "phone": checkout.phone,
        "street": checkout.street,
        "commune": checkout.commune_id,
        "commune_search": search,
    }
    return AddressForm(data, initial=initial, communes=_commune_choices(request, search, checkout.commune_id))


def _checkout_page(
    request: HttpRequest,
    checkout: Checkout,
    *,
    address: AddressForm | None = None,
    payment: PaymentForm | None = None,
    contact: Any = None,
    status: int = 200,
) -> HttpResponse:
    # Inside: the cart and experience pages render each other's parts (a cycle within web).
    from backend.web.views.experiences import contact_form

    summary: CheckoutSummary = summarize(checkout)
    gateways = [g.id for g in summary.gateways]
    context = {
        **_cart_context(request, checkout),
        "summary": summary,
        "checkout": checkout,
        "address_form": address or _address_form(request, checkout),
        "contact_form": contact or contact_form(checkout),
        "payment_form": payment or PaymentForm(gateways=gateways),
    }
    return render(request, "web/storefront/checkout.html", context, status=status)


@require_GET
def checkout(request: HttpRequest) -> HttpResponse:
    current = current_checkout(request)
    if current is None or not current.lines.exists():
        return redirect("web:cart")
    return _checkout_page(request, current)


@require_POST
def checkout_address(request: HttpRequest) -> HttpResponse:
    current = current_checkout(request)
    if current is None:
        return redirect("web:cart")
    form = _address_form(request, current, request.POST)
    if not form.is_valid():
        return _checkout_page(request, current, address=form, status=400)
    data = form.cleaned_data
    legacy = None
    if data["use_legacy"]:
        legacy = LegacyAddress(
            ward=data["legacy_ward"], district=data["legacy_district"], province=data["legacy_province"]
        )
    address = AddressData(
        full_name=data["full_name"],
        phone=data["phone"],
        street=data["street"],
        commune_id=data["commune"] if not legacy else None,
        legacy=legacy,
    )
    fees_before = _delivery_fees(summarize(current))
    try:
        checkout_shipping_address_update(checkout=current, address=address)
    except DomainError as exc:
        add_domain_errors(form, exc, ADDRESS_FIELDS)
        return _checkout_page(request, current, address=form, status=400)
    _preselect(current)
    if legacy is not None and current.commune is not None:
        messages.success(request, _("Your old address is now in %(commune)s.") % {"commune": current.commune.name})
    for group in summarize(current).groups:
        if (
            group.selected is not None
            and fees_before.get(group.seller.pk, group.selected.price) != group.selected.price
        ):
            messages.info(request, fee_change_message(group, current.commune))
    return HttpResponseRedirect(reverse("web:checkout") + "#delivery")


def _delivery_fees(summary: CheckoutSummary) -> dict[int, int]:
    return {g.seller.pk: g.selected.price for g in summary.groups if g.selected is not None}


@require_POST
def checkout_place(request: HttpRequest) -> HttpResponse:
    current = current_checkout(request)
    if current is None:
        return redirect("web:cart")
    summary = summarize(current)
    form = PaymentForm(request.POST, gateways=[g.id for g in summary.gateways])
    if not form.is_valid():
        return _checkout_page(request, current, payment=form, status=400)
    try:
        result = checkout_complete(
            checkout=current,
            gateway_id=form.cleaned_data["gateway"],
            user=request.user,
            client_ip=client_ip(request) or "127.0.0.1",
        )
    except DomainError as exc:
        add_domain_errors(form, exc, {"gateway": "gateway"})
        return _checkout_page(request, current, payment=form, status=400)
    request.session.pop(SESSION_KEY, None)
    request.session[COUNT_KEY] = 0
    payment = result.payment
    if payment is not None and payment.action_kind == "REDIRECT" and payment.action_url:
        return HttpResponseRedirect(payment.action_url)
    return HttpResponseRedirect(reverse("web:order", args=[result.order.token]) + "?placed=1")
