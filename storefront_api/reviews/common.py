"""Lookups shared by the review mutations: an ID to its object, or NOT_FOUND as data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.orders.models import OrderLine
from backend.reviews import selectors
from backend.reviews.models import Review
from storefront_api.core.ids import decode_id


def review_by_id(value: str, *, field: str = "id") -> Review:
    review = selectors.review_get(pk=decode_id(value, type_name="Review", field=field))
    if review is None:
        raise NotFound(_("Not found."), field=field)
    return review


def line_by_id(value: str, *, field: str = "line") -> OrderLine:
    line = selectors.line_get(pk=decode_id(value, type_name="OrderLine", field=field))
    if line is None:
        raise NotFound(_("Not found."), field=field)
    return line
