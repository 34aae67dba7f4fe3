"""Storefront pages (`/`): home, search, product, seller, order status by token.

Every read goes through the catalog, search, seller and order selectors the GraphQL API uses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.catalog.listing import product_listing, product_rows
from backend.catalog.models import ProductKind
from backend.catalog.search_service import search_products, suggest
from backend.catalog.selectors import ProductFilters, categories_list, filter_products, sort_products, visible_products
from backend.core.text import fold, format_dong
from backend.orders.models import PaymentStatus
from backend.orders.selectors import order_page_by_token
from backend.regions.selectors import communes_list, province_scope
from backend.regions.served import is_served, province_site, served_provinces, serves_many
from backend.sellers.selectors import seller_get
from backend.web.forms.storefront import AddToCartForm, SearchForm, gateway_label
from backend.web.views.account import order_parts
from backend.web.views.common import PageWindow, cards, page_number
from backend.web.views.province_storefront import provinces_home

SEARCH_PAGE_SIZE = 24
FEATURED = 8


def _seasonal(request: HttpRequest) -> list[Any]:
    """Goods in season this month first (newest), topped up with other new goods."""
    products = filter_products(
        visible_products(user=request.user), ProductFilters(kind=ProductKind.GOODS, in_stock=True)
    )
    rows = product_rows(sort_products(products)[:48], details=True)
    month = timezone.localdate().month
    in_season = [row for row in rows if month in (row.get("harvest_months") or [])]
    others = [row for row in rows if row not in in_season]
    return cards((in_season + others)[:FEATURED])


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if serves_many():
        return provinces_home(request)
    communes = search_products(
        user=request.user, query="", filters=ProductFilters(kind=ProductKind.GOODS), offset=0, limit=0
    ).facets.get("commune", [])
    context = {
        "featured": _seasonal(request),
        "categories": [c for c in categories_list() if c.parent_id is None and c.kind == ProductKind.GOODS],
        "communes": sorted(communes, key=lambda f: -f.count)[:16],
        "month": timezone.localdate().month,
    }
    return render(request, "web/storefront/home.html", context)


def _filters(form: SearchForm) -> ProductFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return ProductFilters(
        category_id=data.get("category"),
        commune_id=data.get("commune"),
        price_min=data.get("price_min"),
        price_max=data.get("price_max"),
        ocop_stars_min=data.get("ocop"),
        province_id=province_scope(data.get("province")),
    )


def _facet_links(
    request: HttpRequest, facets: dict[str, Any], names: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """Each facet value with the link that toggles it (the query string copied once, not per value)."""
    base = [(key, value) for key, values in request.GET.lists() for value in values if key != "page"]
    links: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        selected = request.GET.get(name, "")
        others = [(key, value) for key, value in base if key != name]
        items = []
        for facet in facets.get(name) or []:
            current = selected == str(facet.value)
            params = others if current else [*others, (name, str(facet.value))]
            items.append(
                {"label": facet.label, "count": facet.count, "href": "?" + urlencode(params), "current": current}
            )
        links[name] = items
    return links


def _link(request: HttpRequest, *, drop: tuple[str, ...] = (), keep_only: tuple[str, ...] = ()) -> str:
    """The current search without some parameters (and always from page 1)."""
    params = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key != "page" and key not in drop and (not keep_only or key in keep_only) and value
    ]
    return "?" + urlencode(params)


def _applied_filters(request: HttpRequest, data: dict[str, Any], facets: dict[str, Any]) -> list[dict[str, str]]:
    """The filters in force as removable chips, named even when they match nothing."""
    chips = []
    labels = {name: {f.value: f.label for f in facets.get(name) or []} for name in ("category", "commune")}
    for name, finder in (("category", categories_list), ("commune", communes_list)):
        value = data.get(name)
        if value is None:
            continue
        label = labels[name].get(str(value))
        if label is None:
            found = finder().filter(pk=value).first()
            label = found.name if found is not None else str(value)
        chips.append({"name": name, "label": label, "href": _link(request, drop=(name,))})
    low, high = data.get("price_min"), data.get("price_max")
    if low is not None or high is not None:
        if low is not None and high is not None:
            label = f"{format_dong(low)} – {format_dong(high)}"
        elif low is not None:
            label = _("from %(price)s") % {"price": format_dong(low)}
        else:
            label = _("up to %(price)s") % {"price": format_dong(high or 0)}
        chips.append({"name": "price", "label": label, "href": _link(request, drop=("price_min", "price_max"))})
    if data.get("ocop"):
        label = _("OCOP %(n)s★ or more") % {"n": data["ocop"]}
        chips.append({"name": "ocop", "label": label, "href": _link(request, drop=("ocop",))})
    return chips


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Results first; filters in a drawer on a phone (a sidebar on a desktop), applied filters as
    removable chips, a sort order, and suggestions when nothing matches."""
    form = SearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    query = data.get("q") or ""
    sort = data.get("sort") or ""
    number = page_number(request)
    result = search_products(
        user=request.user,
        query=query,
        filters=_filters(form),
        offset=(number - 1) * SEARCH_PAGE_SIZE,
        limit=SEARCH_PAGE_SIZE,
        sort=sort,
    )
    chips = _applied_filters(request, data, result.facets)
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "sort": sort,
        "cards": cards(result.rows),
        "result": result,
        "window": PageWindow(number=number, size=SEARCH_PAGE_SIZE, total=result.total),
        "facets": result.facets,
        "facet_links": _facet_links(request, result.facets, ("category", "commune", "province")),
        "selected": {name: request.GET.get(name, "") for name in ("category", "commune", "ocop")},
        "chips": chips,
        "clear_href": _link(request, keep_only=("q", "sort")),
        "keep": [
            (key, value)
            for key, value in request.GET.items()
            if key in ("q", "category", "commune", "province") and value
        ],
    }
    if (province := data.get("province")) and is_served(province):
        context["site"] = next((province_site(p) for p in served_provinces() if p.slug == province), None)
    if result.total == 0:
        context |= _zero_results(request, query, chips)
    return render(request, "web/storefront/search.html", context)


def _zero_results(request: HttpRequest, query: str, chips: list[dict[str, str]]) -> dict[str, Any]:
    """What to try when nothing matches: without the filters, or a word the index knows."""
    without_filters = 0
    if chips:
        without_filters = search_products(
            user=request.user, query=query, filters=ProductFilters(), offset=0, limit=0
        ).total
    spellings: list[str] = []
    if query:
        suggestions, _rows = suggest(user=request.user, query=query, limit=5)
        folded = fold(query)
        spellings = list(dict.fromkeys(s.text for s in suggestions if fold(s.text) != folded))[:3]
    return {"without_filters": without_filters, "spellings": spellings}


@require_GET
def search_suggest(request: HttpRequest) -> HttpResponse:
    """Type-ahead: the same suggestions as `searchSuggest`, as a list of links (htmx swaps it in)."""
    suggestions, rows = suggest(user=request.user, query=request.GET.get("q", ""), limit=8)
    items = [
        {"text": s.text, "slug": rows[s.product_id]["slug"] if s.product_id in rows else None} for s in suggestions
    ]
    return render(request, "web/partials/suggest.html", {"items": items})


@require_GET
def product(request: HttpRequest, slug: str) -> HttpResponse:
    rows = product_rows(
        visible_products(user=request.user).filter(slug=slug)[:1], render_missing_thumbnails=True, details=True
    )
    if not rows:
        raise Http404("no such product")
    row = rows[0]
    page = row["page"]
    main = {size: page.thumbnail(row["pk"], size) for size in (512, 1024)}
    urls = {size: image["url"] for size, image in main.items() if image is not None}
    context = {
        "row": row,
        "main": main.get(512),
        "srcset": ", ".join(f"{url} {size}w" for size, url in urls.items()) if len(set(urls.values())) > 1 else "",
        "images": page.images(row["pk"])[1:],
        "variants": page.variants(row["pk"]),
        "certifications": page.certifications(row["pk"]),
        "form": AddToCartForm(initial={"quantity": 1}),
        "is_goods": row["kind"] == ProductKind.GOODS,
    }
    if row["kind"] == ProductKind.EXPERIENCE:
        # Inside: the storefront and experience pages render each other's parts (a cycle within web).
        from backend.web.views.experiences import product_page

        return product_page(request, context)
    return render(request, "web/storefront/product.html", context)


@require_GET
def seller(request: HttpRequest, slug: str) -> HttpResponse:
    found = seller_get(user=request.user, slug=slug)
    if found is None:
        raise Http404("no such seller")
    number = page_number(request)
    products = sort_products(filter_products(visible_products(user=request.user), ProductFilters(seller_id=found.pk)))
    rows, total = product_listing(products, offset=(number - 1) * SEARCH_PAGE_SIZE, limit=SEARCH_PAGE_SIZE)
    context = {
        "seller": found,
        "cards": cards(rows),
        "window": PageWindow(number=number, size=SEARCH_PAGE_SIZE, total=total),
    }
    return render(request, "web/storefront/seller.html", context)


@require_GET
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    """The order's status page, reached by its unguessable token (confirmation, payment return)."""
    order = order_page_by_token(token)
    if order is None:
        raise Http404("no such order")
    payment = next(iter(order.payments.all()), None)  # newest first
    qr_svg = ""
    if payment is not None and payment.qr_payload and payment.status == PaymentStatus.PENDING:
        import segno

        qr_svg = segno.make(payment.qr_payload, error="m").svg_inline(scale=4, title="VietQR")
    context = {
        "order": order,
        "payment": payment,
        "gateway_label": gateway_label(order.gateway),
        "pay_url": payment.action_url
        if payment is not None and payment.status == PaymentStatus.PENDING and payment.action_kind == "REDIRECT"
        else "",
        "qr_svg": qr_svg,
        "just_placed": request.GET.get("placed") == "1",
        "parts": order_parts(order),
    }
    # Inside: the storefront and experience pages render each other's parts (a cycle within web).
    from backend.web.views.experiences import order_context

    context.update(order_context(order))
    return render(request, "web/storefront/order.html", context)
