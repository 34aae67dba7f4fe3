"""Seller portal for tour operators (`/seller/<id>/experiences/`, `/seller/check-in/`): details,
participant prices and cancellation tiers, weekly schedules, blackout dates, upcoming slots with
their bookings, no-shows, and the gate's check-in page.

Every page resolves the seller among the user's own (`staff_seller`, 404 otherwise) and the
experience, slot or booking among that seller's (404 otherwise); every change goes through
`backend.experiences.services`, which checks the staff again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.catalog.listing import product_rows
from backend.catalog.models import ProductKind
from backend.catalog.selectors import ProductFilters, filter_products, sort_products, visible_products
from backend.core.errors import DomainError, NotFound, PermissionDenied
from backend.experiences import policy
from backend.experiences.bookings import AlreadyCheckedIn, WrongDay, booking_no_show, ticket_check_in
from backend.experiences.models import BookingStatus, Experience, TicketStatus
from backend.experiences.selectors import (
    operator_booking,
    operator_experience,
    operator_slot,
    operator_slots,
    slot_bookings,
    ticket_by_code,
)
from backend.experiences.services import (
    ExperienceData,
    ParticipantTypeData,
    blackout_add,
    blackout_remove,
    experience_update,
    schedule_create,
    schedule_delete,
    slot_create,
    slot_update,
)
from backend.orders.bookings import slot_cancel
from backend.regions.served import commune_label, served_communes
from backend.sellers.models import Seller
from backend.web.forms.experiences import (
    EXPERIENCE_FIELDS,
    SCHEDULE_FIELDS,
    SLOT_FIELDS,
    BlackoutForm,
    CheckInForm,
    ExperienceForm,
    ParticipantTypeRows,
    PolicyTierRows,
    ScheduleForm,
    SlotCancelForm,
    SlotCapacityForm,
    SlotForm,
)
from backend.web.views.common import add_domain_errors, flash_domain_error, login_required
from backend.web.views.seller import portal_render, staff_seller

UPCOMING_DAYS = 28


def _experience(seller: Seller, pk: int) -> Experience:
    experience = operator_experience(seller_id=seller.pk, product_id=pk)
    if experience is None:
        raise Http404("not this seller's experience")
    return experience


def _setup_url(seller: Seller, pk: int, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("seller:experience", args=[seller.pk, pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


@staff_seller
@require_GET
def experiences(request: HttpRequest, seller: Seller) -> HttpResponse:
    products = filter_products(
        visible_products(user=request.user), ProductFilters(seller_id=seller.pk, kind=ProductKind.EXPERIENCE)
    )
    context = {"rows": product_rows(sort_products(products)[:100]), "section": "experiences"}
    return portal_render(request, seller, "web/seller/experiences.html", context)


def _commune_choices() -> list[tuple[int, str]]:
    return [(c.pk, commune_label(c)) for c in served_communes()]


def _experience_forms(experience: Experience, data: Any = None) -> tuple[ExperienceForm, Any, Any]:
    initial = {
        "duration_minutes": experience.duration_minutes,
        "meeting_point": experience.meeting_point,
        "meeting_commune": experience.meeting_commune_id,
        "languages": ", ".join(experience.languages or []),
        "included": experience.included,
        "min_age": experience.min_age,
        "capacity": experience.capacity,
        "booking_cutoff_minutes": experience.booking_cutoff_minutes,
    }
    types = [{"code": t.code, "name": t.name, "price": t.price} for t in experience.participant_types.all()]
    return (
        ExperienceForm(data, initial=initial, communes=_commune_choices()),
        ParticipantTypeRows(data, initial=types, prefix="types"),
        PolicyTierRows(data, initial=list(experience.cancellation_policy or []), prefix="tiers"),
    )


def _setup_page(
    request: HttpRequest,
    seller: Seller,
    experience: Experience,
    *,
    forms: tuple[ExperienceForm, Any, Any] | None = None,
    schedule: ScheduleForm | None = None,
    blackout: BlackoutForm | None = None,
    slot: SlotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    details, types, tiers = forms or _experience_forms(experience)
    today = timezone.localdate()
    context = {
        "experience": experience,
        "product": experience.product,
        "form": details,
        "types": types,
        "tiers": tiers,
        "policy_lines": policy.describe(experience.cancellation_policy or []),
        "schedule_form": schedule or ScheduleForm(initial={"valid_from": today}),
        "blackout_form": blackout or BlackoutForm(),
        "slot_form": slot or SlotForm(initial={"date": today + timedelta(days=1)}),
        "slots": operator_slots(
            product=experience.product, date_from=today, date_to=today + timedelta(days=UPCOMING_DAYS - 1)
        ),
        "upcoming_days": UPCOMING_DAYS,
        "section": "experiences",
    }
    return portal_render(request, seller, "web/seller/experience.html", context, status=status)


@staff_seller
@require_GET
def experience(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    return _setup_page(request, seller, _experience(seller, pk))


@staff_seller
@require_POST
def slot_new(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    """A single dated slot (a special date outside the weekly schedules), local time."""
    found = _experience(seller, pk)
    form = SlotForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        try:
            slot_create(product=found.product, actor=request.user, starts_at=starts_at, capacity=data["capacity"])
        except DomainError as exc:
            add_domain_errors(form, exc, SLOT_FIELDS)
        else:
            messages.success(request, _("Slot added."))
            return _setup_url(seller, pk, "slots")
    return _setup_page(request, seller, found, slot=form, status=400)


def _rows(formset: Any, *names: str) -> list[dict[str, Any]]:
    """The filled rows of a formset (rows left blank are dropped)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if any(data.get(name) not in (None, "") for name in names):
            rows.append(data)
    return rows


@staff_seller
@require_POST
def experience_save(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    found = _experience(seller, pk)
    forms = _experience_forms(found, request.POST)
    details, types, tiers = forms
    if not (details.is_valid() and types.is_valid() and tiers.is_valid()):
        return _setup_page(request, seller, found, forms=forms, status=400)
    data = details.cleaned_data
    participant_types = [
        ParticipantTypeData(code=row.get("code") or "", name=row.get("name") or "", price=row.get("price") or 0)
        for row in _rows(types, "code", "name", "price")
    ]
    filled = _rows(tiers, "hours_before", "refund_percent")
    if any(row.get("hours_before") is None or row.get("refund_percent") is None for row in filled):
        details.add_error(None, _("Give both the hours and the refund of each cancellation tier."))
        return _setup_page(request, seller, found, forms=forms, status=400)
    tier_rows = [{"hours_before": row["hours_before"], "refund_percent": row["refund_percent"]} for row in filled]
    try:
        experience_update(
            product=found.product,
            actor=request.user,
            data=ExperienceData(
                duration_minutes=data["duration_minutes"],
                meeting_point=data["meeting_point"],
                meeting_commune_id=data["meeting_commune"],
                languages=details.language_codes(),
                included=data["included"],
                min_age=data["min_age"],
                capacity=data["capacity"],
                booking_cutoff_minutes=data["booking_cutoff_minutes"],
                cancellation_policy=tier_rows,
                participant_types=participant_types,
            ),
        )
    except DomainError as exc:
        add_domain_errors(details, exc, EXPERIENCE_FIELDS)
        return _setup_page(request, seller, found, forms=forms, status=400)
    messages.success(request, _("Saved."))
    return _setup_url(seller, pk)


@staff_seller
@require_POST
def schedule_new(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    found = _experience(seller, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, seller, found, schedule=form, status=400)
    data = form.cleaned_data
    try:
        schedule_create(
            product=found.product,
            actor=request.user,
            weekdays=data["weekdays"],
            start_times=form.times(),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            capacity=data["capacity"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc, SCHEDULE_FIELDS)
        return _setup_page(request, seller, found, schedule=form, status=400)
    messages.success(request, _("Weekly schedule added; its slots are open for booking."))
    return _setup_url(seller, pk, "schedules")


@staff_seller
@require_POST
def schedule_remove(request: HttpRequest, seller: Seller, pk: int, schedule_id: int) -> HttpResponse:
    found = _experience(seller, pk)
    schedule = next((s for s in found.schedules.all() if s.pk == schedule_id), None)
    if schedule is None:
        raise Http404("no such schedule")
    try:
        kept = schedule_delete(schedule=schedule, actor=request.user)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        if kept:
            messages.warning(
                request,
                _("Schedule stopped. %(n)s booked slots stay; cancel them one by one if needed.") % {"n": len(kept)},
            )
        else:
            messages.success(request, _("Schedule stopped."))
    return _setup_url(seller, pk, "schedules")


@staff_seller
@require_POST
def blackout_new(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    found = _experience(seller, pk)
    form = BlackoutForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, seller, found, blackout=form, status=400)
    try:
        blackout_add(
            product=found.product, actor=request.user, day=form.cleaned_data["date"], reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _setup_page(request, seller, found, blackout=form, status=400)
    messages.success(request, _("Blackout date added."))
    return _setup_url(seller, pk, "blackouts")


@staff_seller
@require_POST
def blackout_delete(request: HttpRequest, seller: Seller, pk: int, blackout_id: int) -> HttpResponse:
    found = _experience(seller, pk)
    blackout = next((b for b in found.blackout_dates.all() if b.pk == blackout_id), None)
    if blackout is None:
        raise Http404("no such blackout date")
    try:
        blackout_remove(blackout=blackout, actor=request.user)
    except DomainError as exc:
        flash_domain_error(request, exc)
    return _setup_url(seller, pk, "blackouts")


def _slot(seller: Seller, pk: int, slot_id: int) -> Any:
    slot = operator_slot(seller_id=seller.pk, product_id=pk, slot_id=slot_id)
    if slot is None:
        raise Http404("not this seller's slot")
    return slot


@staff_seller
@require_POST
def slot_capacity(request: HttpRequest, seller: Seller, pk: int, slot_id: int) -> HttpResponse:
    slot = _slot(seller, pk, slot_id)
    form = SlotCapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a number of places from 1 to 10000."))
    else:
        try:
            slot_update(slot=slot, actor=request.user, capacity=form.cleaned_data["capacity"])
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("Places updated."))
    return _setup_url(seller, pk, f"slot-{slot.pk}")


@staff_seller
@require_POST
def slot_cancel_view(request: HttpRequest, seller: Seller, pk: int, slot_id: int) -> HttpResponse:
    slot = _slot(seller, pk, slot_id)
    form = SlotCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: the buyers are told."))
    else:
        try:
            slot_cancel(slot=slot, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("Slot cancelled; its buyers are refunded in full and told."))
    return _setup_url(seller, pk, f"slot-{slot.pk}")


@staff_seller
@require_GET
def slot_detail(request: HttpRequest, seller: Seller, pk: int, slot_id: int) -> HttpResponse:
    slot = _slot(seller, pk, slot_id)
    context = {
        "slot": slot,
        "product": slot.product,
        "bookings": list(slot_bookings(slot=slot)),
        "started": slot.starts_at <= timezone.now(),
        "confirmed": BookingStatus.CONFIRMED,
        "section": "experiences",
    }
    return portal_render(request, seller, "web/seller/experience_slot.html", context)


@staff_seller
@require_POST
def booking_no_show_view(request: HttpRequest, seller: Seller, booking_id: int) -> HttpResponse:
    booking = operator_booking(seller_id=seller.pk, booking_id=booking_id)
    if booking is None:
        raise Http404("not this seller's booking")
    try:
        booking_no_show(booking=booking, actor=request.user)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Marked as a no-show."))
    return HttpResponseRedirect(
        reverse("seller:experience-slot", args=[seller.pk, booking.product_id, booking.slot_id])
    )


# --- check-in at the gate ------------------------------------------------------------------------


def _refusal(code: str) -> str:
    """Why a ticket the service refused as invalid was refused: cancelled, or not paid yet."""
    ticket = ticket_by_code(code)
    if ticket is not None and (
        ticket.status == TicketStatus.CANCELLED or ticket.booking.status == BookingStatus.CANCELLED
    ):
        return "cancelled"
    return "unpaid"


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    """Type the code or scan the QR; each outcome is spelled out (a wrong day asks to confirm)."""
    form = CheckInForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "section": "check-in", "outcome": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            ticket = ticket_check_in(
                code=code, actor=request.user, allow_other_day=form.cleaned_data["allow_other_day"]
            )
        except AlreadyCheckedIn as exc:
            context.update(outcome="already", ticket=exc.ticket, message=str(exc))
        except WrongDay as exc:
            context.update(outcome="wrong-day", ticket=exc.ticket, message=str(exc))
        except PermissionDenied as exc:
            context.update(outcome="denied", message=str(exc))
            status = 403
        except NotFound as exc:
            context.update(outcome="not-found", message=str(exc))
            status = 404
        except DomainError as exc:
            context.update(outcome=_refusal(code), message=str(exc))
        else:
            context.update(outcome="ok", ticket=ticket)
        context["form"] = CheckInForm()
    elif request.method == "POST":
        status = 400
    return portal_render(request, None, "web/seller/check_in.html", context, status=status)
