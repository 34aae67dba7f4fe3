"""The dashboard's money figures in ONE PostgreSQL statement.

The portable selectors join the ledger's SALE entries of the window to their seller orders once per
figure (six joins over a year of orders). Here the window is joined once into a materialised CTE
(`sales`, one row per paid seller order), its order lines once into a second (`lines`), and every
figure is an aggregate over those in-memory rows, returned as tagged rows of one UNION ALL.

Same definitions as `selectors` (SALE date in local time, seller's commune, total less refunds,
lines' goods value less their pro-rata share of refunds with integer division, distinct orders);
tests/reports/test_dashboard.py checks both paths against the same hand-computed figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection

from backend.catalog.models import Product, ProductVariant
from backend.core.dates import local_day_bounds
from backend.orders.models import LedgerEntry, LedgerKind, OrderLine, SellerOrder
from backend.regions.models import Commune, Province
from backend.reports.figures import TOP_N, TopProduct, TopSeller, TradeFigures, category_figures, fill_days
from backend.sellers.models import Seller

_TABLES = {
    "ledger": LedgerEntry._meta.db_table,
    "seller_order": SellerOrder._meta.db_table,
    "seller": Seller._meta.db_table,
    "commune": Commune._meta.db_table,
    "line": OrderLine._meta.db_table,
    "variant": ProductVariant._meta.db_table,
    "product": Product._meta.db_table,
}

STATEMENT = """
WITH sales AS MATERIALIZED (
    SELECT so.id AS so_id, so.order_id, so.seller_id, s.commune_id,
           (le.created_at AT TIME ZONE %(tz)s)::date AS day,
           so.total - so.refunded_amount AS net, so.total AS total
    FROM {ledger} le
    JOIN {seller_order} so ON so.id = le.seller_order_id
    JOIN {seller} s ON s.id = le.seller_id
    JOIN {commune} c ON c.id = s.commune_id
    WHERE le.kind = %(sale)s AND le.created_at >= %(start)s AND le.created_at < %(end)s
      AND c.province_id = %(province)s
),
lines AS MATERIALIZED (
    SELECT sales.order_id, p.category_id, v.product_id, l.quantity, p.ocop_stars IS NOT NULL AS ocop,
           l.total * sales.net / NULLIF(sales.total, 0) AS net
    FROM {line} l
    JOIN sales ON sales.so_id = l.seller_order_id
    LEFT JOIN {variant} v ON v.id = l.variant_id
    LEFT JOIN {product} p ON p.id = v.product_id
)
SELECT 'total' AS tag, NULL::bigint AS id, NULL::date AS day, SUM(net) AS gmv,
       COUNT(DISTINCT order_id) AS n, NULL::numeric AS extra
FROM sales
UNION ALL
SELECT 'commune', commune_id, NULL, SUM(net), COUNT(DISTINCT order_id), NULL FROM sales GROUP BY commune_id
UNION ALL
SELECT 'day', NULL, day, SUM(net), COUNT(DISTINCT order_id), NULL FROM sales GROUP BY day
UNION ALL
(SELECT 'seller', seller_id, NULL, SUM(net), COUNT(*), NULL FROM sales
 GROUP BY seller_id ORDER BY SUM(net) DESC, seller_id LIMIT %(top)s)
UNION ALL
SELECT 'category', category_id, NULL, SUM(net), COUNT(DISTINCT order_id), SUM(net) FILTER (WHERE ocop)
FROM lines GROUP BY category_id
UNION ALL
(SELECT 'product', product_id, NULL, SUM(net), SUM(quantity), NULL FROM lines WHERE product_id IS NOT NULL
 GROUP BY product_id ORDER BY SUM(net) DESC, product_id LIMIT %(top)s)
""".format(**_TABLES)


def _int(value: Any) -> int:
    return int(value or 0)


def trade_figures_postgresql(*, province: Province, date_from: date, date_to: date) -> TradeFigures:
    """TradeFigures from one statement, plus one small query each to name categories, the top
    products and the top sellers."""
    start, end = local_day_bounds(date_from, date_to)
    params: dict[str, Any] = {
        "tz": settings.TIME_ZONE,
        "sale": LedgerKind.SALE.value,
        "start": start,
        "end": end,
        "province": province.pk,
        "top": TOP_N,
    }
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, params)
        rows = cursor.fetchall()
    gmv = orders = 0
    by_commune: dict[int, tuple[int, int]] = {}
    by_day: dict[date, tuple[int, int]] = {}
    by_category: dict[int | None, tuple[int, int, int]] = {}
    sellers: list[tuple[int, int, int]] = []
    products: list[tuple[int, int, int]] = []
    for tag, pk, day, money, count, extra in rows:
        if tag == "total":
            gmv, orders = _int(money), _int(count)
        elif tag == "commune":
            by_commune[pk] = (_int(money), _int(count))
        elif tag == "day":
            by_day[day] = (_int(money), _int(count))
        elif tag == "category":
            by_category[pk] = (_int(money), _int(extra), _int(count))
        elif tag == "seller":
            sellers.append((pk, _int(money), _int(count)))
        elif tag == "product":
            products.append((pk, _int(money), _int(count)))
    sellers.sort(key=lambda row: (-row[1], row[0]))
    products.sort(key=lambda row: (-row[1], row[0]))
    product_names = {
        row["pk"]: row
        for row in Product.objects.filter(pk__in=[p[0] for p in products]).values("pk", "name", "seller__name")
    }
    seller_names = {
        row["pk"]: row
        for row in Seller.objects.filter(pk__in=[s[0] for s in sellers]).values("pk", "name", "commune__name")
    }
    return TradeFigures(
        gmv=gmv,
        orders=orders,
        by_commune=by_commune,
        by_day=fill_days(by_day, date_from=date_from, date_to=date_to),
        by_category=category_figures(by_category),
        top_products=[
            TopProduct(
                product_id=pk,
                name=product_names[pk]["name"],
                seller_name=product_names[pk]["seller__name"],
                gmv=money,
                quantity=quantity,
            )
            for pk, money, quantity in products
        ],
        top_sellers=[
            TopSeller(
                seller_id=pk,
                name=seller_names[pk]["name"],
                commune_name=seller_names[pk]["commune__name"],
                gmv=money,
                orders=count,
            )
            for pk, money, count in sellers
        ],
    )
