"""Each province's commercial terms: the platform's default commission for its new sellers and
the carrier surcharge by distance band from a seller there (issue 19).

Read from the province's entry in `fixtures/regions/storefronts.json` (`commission_bp`,
`carrier_band_extra`); a province without them gets `SELLER_DEFAULT_COMMISSION_BP` and the
default bands in the file's `meta`. The one place that knows: sellers and checkout ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings

from backend.regions.distance import Band
from backend.regions.models import Province
from backend.regions.served import storefront_config

DEFAULT_BAND_EXTRA = {Band.SAME: 0, Band.NEIGHBOURING: 10_000, Band.FAR: 25_000}


@dataclass(frozen=True)
class ProvinceTerms:
    """Commission in basis points (500 = 5 %) and the đồng added to a carrier's fee per band."""

    commission_bp: int
    carrier_band_extra: dict[Band, int]


@cache
def _terms(slug: str, default_commission_bp: int) -> ProvinceTerms:
    config, meta = storefront_config(slug)
    bands = {**{band.value: fee for band, fee in DEFAULT_BAND_EXTRA.items()}, **meta.get("carrier_band_extra", {})}
    bands.update(config.get("carrier_band_extra", {}))
    return ProvinceTerms(
        commission_bp=int(config.get("commission_bp", default_commission_bp)),
        carrier_band_extra={band: int(bands[band.value]) for band in Band},
    )


def province_terms(province: Province) -> ProvinceTerms:
    """The terms of `province` (no query: the file is read once)."""
    return _terms(province.slug, int(getattr(settings, "SELLER_DEFAULT_COMMISSION_BP", 500)))
