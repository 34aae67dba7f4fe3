"""Storefront pages (`/`): home, search, product, seller, order status by token.

Every read goes through the catalog, search, seller and order selectors the GraphQL API uses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backend.catalog.listing import product_listing, product_rows
from backend.catalog.models import ProductKind
from backend.catalog.search_service import search_products, suggest
from backend.catalog.selectors import ProductFilters, categories_list, filter_products, sort_products, visible_products
from backend.orders.models import PaymentStatus
from backend.orders.selectors import order_page_by_token
from backend.sellers.selectors import seller_get
from backend.web.forms.storefront import GATEWAY_LABELS, AddToCartForm, SearchForm
from backend.web.views.common import PageWindow, cards, page_number

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


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = (form.cleaned_data.get("q") or "") if form.is_valid() else ""
    number = page_number(request)
    result = search_products(
        user=request.user,
        query=query,
        filters=_filters(form),
        offset=(number - 1) * SEARCH_PAGE_SIZE,
        limit=SEARCH_PAGE_SIZE,
    )
    context = {
        "form": form,
        "query": query,
        "cards": cards(result.rows),
        "result": result,
        "window": PageWindow(number=number, size=SEARCH_PAGE_SIZE, total=result.total),
        "facets": result.facets,
        "facet_links": _facet_links(request, result.facets, ("category", "commune")),
        "selected": {name: request.GET.get(name, "") for name in ("category", "commune", "ocop")},
    }
    return render(request, "web/storefront/search.html", context)


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
        "gateway_label": GATEWAY_LABELS.get(order.gateway, order.gateway),
        "pay_url": payment.action_url
        if payment is not None and payment.status == PaymentStatus.PENDING and payment.action_kind == "REDIRECT"
        else "",
        "qr_svg": qr_svg,
        "just_placed": request.GET.get("placed") == "1",
    }
    from backend.web.views.experiences import order_context

    context.update(order_context(order))
    return render(request, "web/storefront/order.html", context)
