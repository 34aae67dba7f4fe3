"""Shared lookups for the seller mutations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.regions.models import Commune
from backend.sellers.models import Seller
from backend.sellers.selectors import seller_by_id
from storefront_api.core.ids import decode_id


def seller_from_id(value: str, *, field: str = "id") -> Seller:
    """The seller behind a global ID; services check who may act on it."""
    seller = seller_by_id(pk=decode_id(value, type_name="Seller", field=field))
    if seller is None:
        raise NotFound(_("This seller does not exist."), field=field)
    return seller


def commune_from_id(value: str, *, field: str = "commune") -> Commune:
    commune = Commune.objects.select_related("province").filter(pk=decode_id(value, type_name="Commune", field=field))
    found = commune.first()
    if found is None:
        raise NotFound(_("This commune does not exist."), field=field)
    return found
