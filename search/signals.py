"""Which writes touch which search documents."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from search.indexing import mark_products


def _product(instance: Any, **_: Any) -> None:
    mark_products([instance.pk])


def _variant(instance: Any, **_: Any) -> None:
    mark_products([instance.product_id])


def _seller(instance: Any, **_: Any) -> None:
    mark_products(instance.products.values_list("pk", flat=True))


def _category(instance: Any, **_: Any) -> None:
    mark_products(instance.products.values_list("pk", flat=True))


def connect() -> None:
    from backend.catalog.models import Category, Product, ProductVariant
    from backend.sellers.models import Seller

    for model, handler in ((Product, _product), (ProductVariant, _variant), (Seller, _seller), (Category, _category)):
        post_save.connect(handler, sender=model, dispatch_uid=f"search-{model.__name__}-save")
    post_delete.connect(_product, sender=Product, dispatch_uid="search-Product-delete")
    post_delete.connect(_variant, sender=ProductVariant, dispatch_uid="search-ProductVariant-delete")
