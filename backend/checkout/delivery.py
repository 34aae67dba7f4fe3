"""Delivery methods per seller and their fees for a destination commune and parcel weight."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from backend.checkout.models import DeliveryKind, DeliveryMethod
from backend.regions.distance import Band, band_between
from backend.regions.models import Commune
from backend.regions.terms import DEFAULT_BAND_EXTRA, province_terms
from backend.sellers.models import Seller

GRAMS_PER_KG = 1000
DEFAULT_WEIGHT_GRAMS = 500  # a variant without a weight counts as half a kilogram
# Added to a carrier's fee by distance band between the seller's province and the buyer's, unless
# the seller's province sets its own (`backend.regions.terms`).
CARRIER_BAND_EXTRA = DEFAULT_BAND_EXTRA


def method_price(method: DeliveryMethod, *, seller: Seller, commune: Commune | None, weight_grams: int) -> int | None:
    """The fee in đồng, or None when the method cannot reach `commune`. Without a commune yet,
    the fee shown is the method's base fee (the lowest it can be)."""
    if method.kind == DeliveryKind.OWN_DELIVERY:
        if commune is None or commune.pk == seller.commune_id:
            return method.price
        if commune.province_id != seller.commune.province_id:
            return None
        return method.price_other_commune
    if method.kind == DeliveryKind.CARRIER:
        extra_kg = max(0, -(-(weight_grams - GRAMS_PER_KG) // GRAMS_PER_KG))
        return method.price + extra_kg * method.price_per_kg + carrier_band_extra(seller=seller, commune=commune)
    return method.price  # PICKUP


def carrier_band_extra(*, seller: Seller, commune: Commune | None) -> int:
    """The distance surcharge on a carrier from `seller` to `commune`: the seller's province's terms."""
    return province_terms(seller.commune.province).carrier_band_extra[_band(seller, commune)]


def _band(seller: Seller, commune: Commune | None) -> Band:
    """Own delivery stays inside the seller's province; carriers cost more the farther they go."""
    if commune is None or commune.province_id == seller.commune.province_id:
        return Band.SAME
    return band_between(seller.commune.province, commune.province)


class FeeBasis:
    """Why a method costs what it does, for the buyer (the web cart explains each fee)."""

    NO_ADDRESS = "no_address"  # own delivery before the buyer gave a commune: the fee inside the seller's
    SAME_COMMUNE = "same_commune"
    IN_PROVINCE = "in_province"
    BY_WEIGHT = "by_weight"
    NEIGHBOURING = "by_weight_neighbouring"  # a carrier to a neighbouring province
    FAR = "by_weight_far"  # a carrier farther away
    PICKUP = "pickup"


def fee_basis(method: DeliveryMethod, *, seller: Seller, commune: Commune | None) -> str:
    """The rule of `method_price` that priced `method` for `commune`."""
    if method.kind == DeliveryKind.OWN_DELIVERY:
        if commune is None:
            return FeeBasis.NO_ADDRESS
        return FeeBasis.SAME_COMMUNE if commune.pk == seller.commune_id else FeeBasis.IN_PROVINCE
    if method.kind == DeliveryKind.CARRIER:
        return {Band.SAME: FeeBasis.BY_WEIGHT, Band.NEIGHBOURING: FeeBasis.NEIGHBOURING, Band.FAR: FeeBasis.FAR}[
            _band(seller, commune)
        ]
    return FeeBasis.PICKUP


def default_methods_for(seller: Seller) -> list[DeliveryMethod]:
    """What a new seller offers until it sets its own: its own delivery in the province,
    pickup at its address, and a national carrier by weight."""
    return [
        DeliveryMethod(
            seller=seller,
            kind=DeliveryKind.OWN_DELIVERY,
            name=_("Delivery by %(seller)s") % {"seller": seller.name},
            price=15_000,
            price_other_commune=35_000,
            position=0,
        ),
        DeliveryMethod(
            seller=seller,
            kind=DeliveryKind.PICKUP,
            name=_("Pick up at %(seller)s") % {"seller": seller.name},
            price=0,
            pickup_address=seller.address,
            position=1,
        ),
        DeliveryMethod(
            seller=seller,
            kind=DeliveryKind.CARRIER,
            name=_("Carrier (Viettel Post)"),
            price=30_000,
            price_per_kg=8_000,
            position=2,
        ),
    ]


def ensure_default_methods(*, seller: Seller) -> None:
    """Give a seller the default methods when it has none (on approval and in demo data)."""
    with transaction.atomic():
        if not DeliveryMethod.objects.filter(seller=seller).exists():
            DeliveryMethod.objects.bulk_create(default_methods_for(seller))
