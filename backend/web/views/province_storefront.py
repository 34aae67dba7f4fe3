"""Storefront entries of the served provinces (issue 19): `/<province-slug>/` and the root list.

A deployment serving one province keeps its single home page at `/`; serving several
(`SERVED_PROVINCES`), the root lists them and each has its own home with its title
("Chợ Bắc Ninh"), colours and tagline (`backend.regions.served`), its goods, experiences,
communes and sellers. A buyer can still ask for every province's sellers (`?all=1`) and
search everywhere; the cart takes goods from several provinces at once.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backend.catalog.listing import product_rows
from backend.catalog.models import ProductKind
from backend.catalog.search_service import search_products
from backend.catalog.selectors import ProductFilters, categories_list, filter_products, sort_products, visible_products
from backend.regions.models import Province
from backend.regions.served import default_province_slug, is_served, province_site, served_provinces, served_sites
from backend.sellers.selectors import seller_list
from backend.web.views.common import cards

FEATURED = 8
SELLERS_SHOWN = 24


def provinces_home(request: HttpRequest) -> HttpResponse:
    """The root page of a deployment serving several provinces: one card per province."""
    return render(request, "web/storefront/provinces.html", {"sites": served_sites()})


def _served(slug: str) -> Province:
    province = next((p for p in served_provinces() if p.slug == slug), None) if is_served(slug) else None
    if province is None:
        raise Http404("this deployment does not serve that province")
    return province


def _featured(request: HttpRequest, province: Province, kind: str) -> list[Any]:
    products = filter_products(
        visible_products(user=request.user), ProductFilters(kind=kind, in_stock=True, province_id=province.pk)
    )
    rows = product_rows(sort_products(products)[:48], details=True)
    month = timezone.localdate().month
    in_season = [row for row in rows if month in (row.get("harvest_months") or [])]
    return cards((in_season + [row for row in rows if row not in in_season])[:FEATURED])


STOREFRONT_SESSION_KEY = "storefront_province"


def storefront_province_slug(request: HttpRequest) -> str:
    """The province of the storefront the buyer came from (remembered by `province_home`), else
    the default one: where the cart's commune picker starts."""
    slug = request.session.get(STOREFRONT_SESSION_KEY)
    return slug if isinstance(slug, str) and is_served(slug) else default_province_slug()


@require_GET
def province_home(request: HttpRequest, province: str) -> HttpResponse:
    """A served province's home: its goods in season, experiences, categories, communes and sellers."""
    found = _served(province)
    if request.session.get(STOREFRONT_SESSION_KEY) != found.slug:
        request.session[STOREFRONT_SESSION_KEY] = found.slug
    every = request.GET.get("all") == "1"
    communes = search_products(
        user=request.user,
        query="",
        filters=ProductFilters(kind=ProductKind.GOODS, province_id=found.pk),
        offset=0,
        limit=0,
    ).facets.get("commune", [])
    sellers = seller_list(user=request.user, province_id=None if every else found.pk).select_related(
        "commune__province"
    )
    context = {
        "site": province_site(found),
        "featured": _featured(request, found, ProductKind.GOODS),
        "experiences_cards": _featured(request, found, ProductKind.EXPERIENCE),
        "categories": [c for c in categories_list() if c.parent_id is None and c.kind == ProductKind.GOODS],
        "communes": sorted(communes, key=lambda f: -f.count)[:16],
        "sellers": list(sellers[:SELLERS_SHOWN]),
        "all_sellers": every,
        "month": timezone.localdate().month,
    }
    return render(request, "web/storefront/province_home.html", context)
