"""Read side of moderation: the audit log as each admin may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from backend.accounts.permissions import moderated_communes_q
from backend.catalog.models import Product
from backend.moderation.models import AuditEntry, ListingReport
from backend.sellers.models import Seller


def can_read_audit_log(*, user: Any) -> bool:
    """Superusers and province admins read the audit log (admins: their scope only)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_province_admin)


def _scope_q(user: Any) -> Q | None:
    """Entries about sellers, products and reports in `user`'s scope; None = everything."""
    sellers_q = moderated_communes_q(user)
    if not sellers_q:  # superuser
        return None
    products_q = moderated_communes_q(user, field="seller__commune")
    products = Product.objects.filter(products_q).values("pk")
    return (
        Q(target_type="seller", target_id__in=Seller.objects.filter(sellers_q).values("pk"))
        | Q(target_type="product", target_id__in=products)
        | Q(target_type="listingreport", target_id__in=ListingReport.objects.filter(product__in=products).values("pk"))
    )


def audit_entries_for(
    *, user: Any, target_type: str | None = None, target_id: int | None = None
) -> QuerySet[AuditEntry]:
    """Audit entries `user` may read, newest first, optionally about one object.

    Superusers read everything; province admins read entries about sellers
    (and their products and reports) in their scope; everyone else nothing.
    """
    if not can_read_audit_log(user=user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor")
    scope = _scope_q(user)
    if scope is not None:
        entries = entries.filter(scope)
    if target_type is not None:
        entries = entries.filter(target_type=target_type)
    if target_id is not None:
        entries = entries.filter(target_id=target_id)
    return entries.order_by("-created_at", "-pk")
