"""Storefront side of experiences: the experience page (details, policy, a month calendar of the
days with places, the chosen day's slots and one booking form), booking places into the session
cart, the booking contact at checkout, and the tickets and cancellation on the order page.

Plain POST forms that redirect, so everything works without JavaScript. Every read goes through
`backend.experiences.selectors`, every change through the checkout and experiences services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.checkout.models import Checkout
from backend.checkout.services import ParticipantCount, checkout_booking_add, checkout_contact_update, checkout_create
from backend.core.errors import DomainError
from backend.experiences import policy
from backend.experiences.selectors import OrderBooking, Price, booking_of_order, experience_details, order_bookings
from backend.experiences.tickets import qr_svg
from backend.orders.bookings import booking_cancel
from backend.web.forms.experiences import CONTACT_FIELDS, PARTICIPANT_PREFIX, BookingForm, ContactForm
from backend.web.templatetags.web import participant_label
from backend.web.views.common import add_domain_errors, flash_domain_error
from backend.web.views.experience_calendar import month_calendar

LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "ru": "Русский",
    "k'ho": "K'Ho",
    "ma": "Mạ",
    "cham": "Chăm",
}


def product_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The product page of an EXPERIENCE (the storefront's product view hands over its context):
    the details, then a month calendar of the days with places, the chosen day's slots and one
    booking form with a live total."""
    row = context["row"]
    experience = experience_details(row["pk"])
    if experience is None:
        return render(request, "web/storefront/product.html", context)
    types = list(experience.participant_types.all())
    prices = [Price(t.code, participant_label(t.code, t.name), t.price) for t in types]
    month = month_calendar(product_id=row["pk"], month=request.GET.get("month", ""), day=request.GET.get("day", ""))
    context = {
        **context,
        "experience": experience,
        "participant_types": types,
        "languages": [LANGUAGE_NAMES.get(code, code) for code in experience.languages or []],
        "policy_lines": policy.describe(experience.cancellation_policy or []),
        "calendar": month,
        "weekday_names": [(WEEKDAYS_ABBR[i], WEEKDAYS[i]) for i in range(7)],
        "booking_form": BookingForm(prices=prices),
    }
    return render(request, "web/storefront/experience.html", context)


def _session_checkout(request: HttpRequest) -> Checkout | None:
    # Inside: the cart and experience pages render each other's parts (a cycle within web).
    from backend.web.views.cart import current_checkout

    return current_checkout(request)


def _participants(request: HttpRequest) -> list[ParticipantCount] | None:
    """The numbers typed per participant type (None when one is not a whole number in range)."""
    counts = []
    for key in request.POST:
        value = request.POST.get(key, "")
        if not key.startswith(PARTICIPANT_PREFIX) or not value.strip():
            continue
        try:
            number = int(value)
        except ValueError:
            return None
        if not 0 <= number <= settings.BOOKING_MAX_PARTICIPANTS:
            return None
        if number:
            counts.append(ParticipantCount(participant_type=key.removeprefix(PARTICIPANT_PREFIX), quantity=number))
    return counts


@require_POST
def booking_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Hold places in a slot in the visitor's cart (a new cart when there is none)."""
    # Inside: the cart and experience pages render each other's parts (a cycle within web).
    from backend.web.views.cart import SESSION_KEY, remember_cart_count

    keep = {name: request.POST[name][:10] for name in ("month", "day") if request.POST.get(name)}
    back = reverse("web:product", args=[slug]) + (f"?{urlencode(keep)}" if keep else "")
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        messages.error(request, _("Choose a time."))
        return HttpResponseRedirect(f"{back}#booking")
    participants = _participants(request)
    if participants is None:
        messages.error(
            request,
            _("Enter a number of people from 0 to %(max)s.") % {"max": settings.BOOKING_MAX_PARTICIPANTS},
        )
        return HttpResponseRedirect(f"{back}#booking")
    checkout = _session_checkout(request)
    try:
        if checkout is None:
            checkout = checkout_create(user=request.user, lines=[])
            request.session[SESSION_KEY] = str(checkout.token)
        checkout_booking_add(checkout=checkout, slot_id=slot_id, participants=participants)
    except DomainError as exc:
        flash_domain_error(request, exc)
        return HttpResponseRedirect(f"{back}#booking")
    remember_cart_count(request, checkout)
    messages.success(request, _("Your places are held in your cart."))
    return redirect("web:cart")


def contact_form(checkout: Checkout, data: Any = None) -> ContactForm:
    initial = {"full_name": checkout.full_name, "phone": checkout.phone, "email": checkout.email}
    return ContactForm(data, initial=initial)


@require_POST
def checkout_contact(request: HttpRequest) -> HttpResponse:
    """Who the bookings are for: a cart of bookings only needs no address."""
    # Inside: the cart and experience pages render each other's parts (a cycle within web).
    from backend.web.views.cart import _checkout_page, current_checkout

    current = current_checkout(request)
    if current is None:
        return redirect("web:cart")
    form = contact_form(current, request.POST)
    if not form.is_valid():
        return _checkout_page(request, current, contact=form, status=400)
    data = form.cleaned_data
    try:
        checkout_contact_update(
            checkout=current, full_name=data["full_name"], phone=data["phone"], email=data["email"] or None
        )
    except DomainError as exc:
        add_domain_errors(form, exc, CONTACT_FIELDS)
        return _checkout_page(request, current, contact=form, status=400)
    return HttpResponseRedirect(reverse("web:checkout") + "#payment")


@dataclass
class TicketCard:
    ticket: Any
    qr: str


@dataclass
class BookingCard:
    entry: OrderBooking
    tickets: list[TicketCard]


def order_context(order: Any) -> dict[str, Any]:
    """What the order page adds for bookings: tickets with their QR, and the refund of cancelling now."""
    cards = [
        BookingCard(
            entry=entry, tickets=[TicketCard(ticket=t, qr=qr_svg(t.code, scalable=True)) for t in entry.tickets]
        )
        for entry in order_bookings(order_id=order.pk)
    ]
    return {"booking_cards": cards, "ticket_count": sum(len(card.tickets) for card in cards)}


@require_POST
def booking_cancel_view(request: HttpRequest, token: str, booking_id: int) -> HttpResponse:
    booking = booking_of_order(order_token=token, booking_id=booking_id)
    if booking is None:
        raise Http404("no such booking")
    try:
        result = booking_cancel(
            booking=booking, actor=request.user, order_token=token, reason=_("Cancelled by the buyer")
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(
            request,
            _("The booking is cancelled; %(amount)s đ will be refunded.")
            % {"amount": f"{result.refund_amount:,}".replace(",", ".")},
        )
    return HttpResponseRedirect(reverse("web:order", args=[token]) + "#tickets")
