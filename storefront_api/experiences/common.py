"""Loading experiences, slots, bookings and schedules from global IDs for the API."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Product
from backend.core.errors import NotFound
from backend.experiences.models import BlackoutDate, Booking, Schedule, Slot
from storefront_api.core.ids import decode_id

M = TypeVar("M", bound=Model)


def _load(model: type[M], value: str, *, type_name: str, field: str, missing: Promise, related: tuple[str, ...]) -> M:
    """The object of a global ID of `type_name` (the services check who may act on it), or NOT_FOUND."""
    pk = decode_id(value, type_name=type_name, field=field)
    found: M | None = model._default_manager.select_related(*related).filter(pk=pk).first()
    if found is None:
        raise NotFound(missing, field=field)
    return found


def load_product(value: str, *, field: str = "product") -> Product:
    return _load(
        Product, value, type_name="Product", field=field, missing=_("This product does not exist."), related=()
    )


def load_slot(value: str, *, field: str = "id") -> Slot:
    return _load(
        Slot,
        value,
        type_name="Slot",
        field=field,
        missing=_("This slot does not exist."),
        related=("product", "experience"),
    )


def load_booking(value: str, *, field: str = "id") -> Booking:
    return _load(
        Booking,
        value,
        type_name="Booking",
        field=field,
        missing=_("This booking does not exist."),
        related=("order", "slot__product"),
    )


def load_schedule(value: str, *, field: str = "id") -> Schedule:
    return _load(
        Schedule,
        value,
        type_name="Schedule",
        field=field,
        missing=_("This schedule does not exist."),
        related=("experience__product",),
    )


def load_blackout(value: str, *, field: str = "id") -> BlackoutDate:
    return _load(
        BlackoutDate,
        value,
        type_name="BlackoutDate",
        field=field,
        missing=_("This blackout date does not exist."),
        related=("experience__product",),
    )
