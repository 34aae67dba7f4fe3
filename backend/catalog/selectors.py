"""Read side of the catalog: who sees which product, filters and sort orders.

`visible_products` is the one place that says what a user may see; every
listing, `product(id|slug)` and search start from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from backend.accounts.permissions import moderated_communes_q
from backend.catalog.models import Category, Product
from backend.sellers.models import SellerStatus
from backend.sellers.permissions import staff_seller_ids


def public_products_q() -> Q:
    """Products any buyer may see: published, not hidden, from an approved seller."""
    return Q(is_published=True, hidden_at__isnull=True, seller__status=SellerStatus.APPROVED)


def _is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def visibility_q(*, user: Any) -> Q:
    """Buyers: public products. Seller staff: also all of their sellers' products.
    Province admins: also every product of sellers in their scope."""
    condition = public_products_q()
    if not _is_signed_in(user):
        return condition
    if getattr(user, "is_superuser", False):
        return Q()
    seller_ids = staff_seller_ids(user)
    if seller_ids:
        condition |= Q(seller_id__in=sorted(seller_ids))
    in_scope = moderated_communes_q(user, field="seller__commune")  # matches nothing for non-admins
    return condition | in_scope


def visible_products(*, user: Any) -> QuerySet[Product]:
    """Products `user` may see (anonymous users: None or AnonymousUser)."""
    return Product.objects.filter(visibility_q(user=user))


def can_see_product(*, user: Any, product: Product) -> bool:
    return visible_products(user=user).filter(pk=product.pk).exists()


def category_tree_q(category: Category, *, field: str = "category") -> Q:
    """The category and all its descendants (materialised path prefix)."""
    return Q(**{f"{field}__path": category.path}) | Q(**{f"{field}__path__startswith": f"{category.path}/"})


@dataclass(frozen=True)
class ProductFilters:
    kind: str | None = None
    category_id: int | None = None
    seller_id: int | None = None
    commune_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    ocop_stars_min: int | None = None
    in_stock: bool | None = None
    # The seller's province (a seller belongs to its commune's); see `regions.selectors.province_scope`.
    province_id: int | None = None


def filter_products(products: QuerySet[Product], filters: ProductFilters) -> QuerySet[Product]:
    """Apply a ProductFilter. Price bounds overlap the product's [price_min, price_max]."""
    if filters.kind:
        products = products.filter(kind=filters.kind)
    if filters.category_id is not None:
        category = Category.objects.filter(pk=filters.category_id).only("path").first()
        if category is None:
            return products.none()
        products = products.filter(category_tree_q(category))
    if filters.seller_id is not None:
        products = products.filter(seller_id=filters.seller_id)
    if filters.commune_id is not None:
        products = products.filter(commune_id=filters.commune_id)
    if filters.province_id is not None:
        products = products.filter(seller__commune__province_id=filters.province_id)
    if filters.price_min is not None:
        products = products.filter(price_max__gte=filters.price_min)
    if filters.price_max is not None:
        products = products.filter(price_min__lte=filters.price_max)
    if filters.ocop_stars_min is not None:
        products = products.filter(ocop_stars__gte=filters.ocop_stars_min)
    if filters.in_stock is not None:
        products = products.filter(in_stock=filters.in_stock)
    return products


SORT_FIELDS = {
    "CREATED": "created_at",
    "PRICE": "price_min",
    "NAME": "name",
    "RELEVANCE": "created_at",
    "OCOP": "ocop_stars",
}
NULLABLE_SORTS = {"price_min", "ocop_stars"}  # no variant yet, not certified: always last


def sort_products(products: QuerySet[Product], *, field: str = "CREATED", descending: bool = True) -> QuerySet[Product]:
    """Order by a ProductSortField; the id breaks ties so pages never overlap."""
    name = SORT_FIELDS.get(field, "created_at")
    column, pk = F(name), F("id")
    # Only the price and the OCOP stars can be NULL. A NULLS clause on the other
    # columns would stop PostgreSQL from walking the (column, id) index.
    nulls_last = True if name in NULLABLE_SORTS else None
    if descending:
        return products.order_by(column.desc(nulls_last=nulls_last), pk.desc())
    return products.order_by(column.asc(nulls_last=nulls_last), pk.asc())


def categories_list() -> QuerySet[Category]:
    return Category.objects.select_related("parent").order_by("path")
