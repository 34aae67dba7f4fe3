"""Helpers shared by the checkout API: token IDs and loading a checkout the viewer may use."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

import graphene
from django.utils.translation import gettext_lazy as _
from graphql_relay import from_global_id

from backend.catalog.listing import Row, variant_rows
from backend.checkout.models import Checkout as CheckoutModel
from backend.checkout.selectors import CheckoutSummary, checkout_by_token, summarize
from backend.core.errors import NotFound, ValidationFailed
from backend.experiences.selectors import SlotView, slot_views
from storefront_api.core.auth import current_user
from storefront_api.core.ids import global_id


def token_global_id(type_name: str, token: object) -> str:
    """The Relay global ID of an object reached by its token: knowing it is knowing the token."""
    return global_id(type_name, str(token))


def token_from_id(value: str, *, type_name: str, field: str = "id") -> str:
    """The token in a global ID of `type_name` (a raw UUID token is accepted as well)."""
    raw = (value or "").strip()
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        pass
    try:
        decoded_type, token = from_global_id(raw)
        key = uuid.UUID(token)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("This is not a valid ID."), field=field) from None
    if decoded_type != type_name:
        raise ValidationFailed(_("This ID does not belong to the expected kind of object."), field=field)
    return str(key)


@dataclass
class CheckoutView:
    """What the Checkout type resolves from: the checkout and its server-side pricing."""

    checkout: CheckoutModel
    summary: CheckoutSummary
    _rows: dict[int, Row] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, checkout: CheckoutModel) -> CheckoutView:
        return cls(checkout=checkout, summary=summarize(checkout))

    @cached_property
    def slot_views(self) -> dict[int, SlotView]:
        """Booking lines' slots with their places left (two queries for all)."""
        views = slot_views([b.item.slot for b in self.summary.bookings])
        return {view.slot.pk: view for view in views}

    @cached_property
    def variant_rows(self) -> dict[int, Row]:
        """Catalog rows (with quantityAvailable) of the lines' variants, one query for all."""
        rows = variant_rows([item.variant for item in self.summary.lines])
        return {row["pk"]: row for row in rows}


def load_checkout(info: graphene.ResolveInfo, value: str, *, field: str = "id") -> CheckoutModel:
    """The checkout of a global ID (or raw token) the viewer may use, or NOT_FOUND."""
    checkout = checkout_by_token(token=token_from_id(value, type_name="Checkout", field=field), user=current_user(info))
    if checkout is None:
        raise NotFound(_("This checkout does not exist."), field=field)
    return checkout


def find_checkout(info: graphene.ResolveInfo, value: str) -> CheckoutModel | None:
    try:
        return load_checkout(info, value)
    except (NotFound, ValidationFailed):
        return None
