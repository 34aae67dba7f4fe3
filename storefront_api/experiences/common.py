"""Loading experiences, slots, bookings and schedules from global IDs for the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Product
from backend.core.errors import NotFound
from backend.experiences.models import BlackoutDate, Booking, Schedule, Slot
from storefront_api.core.ids import decode_id


def load_product(value: str, *, field: str = "product") -> Product:
    pk = decode_id(value, type_name="Product", field=field)
    product = Product.objects.filter(pk=pk).first()
    if product is None:
        raise NotFound(_("This product does not exist."), field=field)
    return product


def load_slot(value: str, *, field: str = "id") -> Slot:
    pk = decode_id(value, type_name="Slot", field=field)
    slot = Slot.objects.select_related("product", "experience").filter(pk=pk).first()
    if slot is None:
        raise NotFound(_("This slot does not exist."), field=field)
    return slot


def load_booking(value: str, *, field: str = "id") -> Booking:
    pk = decode_id(value, type_name="Booking", field=field)
    booking = Booking.objects.select_related("order", "slot__product").filter(pk=pk).first()
    if booking is None:
        raise NotFound(_("This booking does not exist."), field=field)
    return booking


def load_schedule(value: str, *, field: str = "id") -> Schedule:
    pk = decode_id(value, type_name="Schedule", field=field)
    schedule = Schedule.objects.select_related("experience__product").filter(pk=pk).first()
    if schedule is None:
        raise NotFound(_("This schedule does not exist."), field=field)
    return schedule


def load_blackout(value: str, *, field: str = "id") -> BlackoutDate:
    pk = decode_id(value, type_name="BlackoutDate", field=field)
    blackout = BlackoutDate.objects.select_related("experience__product").filter(pk=pk).first()
    if blackout is None:
        raise NotFound(_("This blackout date does not exist."), field=field)
    return blackout
