"""Who may moderate what: superusers everywhere, province admins in their scope.

A `ProvinceAdminScope` covers one province: all of it when its `communes` is
empty, otherwise only the listed communes. Domain apps (sellers, products)
call `ensure_can_moderate` first thing in their moderation services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from backend.accounts.models import User
from backend.accounts.selectors import admin_scope_for
from backend.core.errors import PermissionDenied
from backend.regions.models import Commune, Province


def _admin(user: Any) -> User | None:
    """`user` when it is an active, signed-in account (not AnonymousUser/None)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user if isinstance(user, User) else None


def is_platform_staff(user: Any) -> bool:
    """Marketplace operators (Django staff or superusers): refunds, COD remittance, payouts."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_staff))


def is_province_admin_for(*, user: Any, commune: Commune) -> bool:
    """May `user` moderate sellers and products of `commune`?"""
    admin = _admin(user)
    if admin is None:
        return False
    if admin.is_superuser:
        return True
    scope = admin_scope_for(user=admin)
    if scope is None or scope.province_id != commune.province_id:
        return False
    commune_ids = {c.pk for c in scope.communes.all()}
    return not commune_ids or commune.pk in commune_ids


def ensure_can_moderate(*, actor: Any, commune: Commune) -> None:
    """Raise PermissionDenied unless `actor` may moderate in `commune`."""
    if not is_province_admin_for(user=actor, commune=commune):
        raise PermissionDenied()


def admin_province_ids(user: Any) -> frozenset[int]:
    """Ids of the provinces where `user` moderates (all of them for a superuser).

    A scope limited to some communes still counts its province here; filter
    rows with `moderated_communes_q` when the commune matters.
    """
    admin = _admin(user)
    if admin is None:
        return frozenset()
    if admin.is_superuser:
        return frozenset(Province.objects.values_list("pk", flat=True))
    scope = admin_scope_for(user=admin)
    return frozenset() if scope is None else frozenset({scope.province_id})


def moderated_communes_q(user: Any, *, field: str = "commune") -> Q:
    """A filter keeping rows whose `field` (a Commune FK) `user` may moderate.

    `Seller.objects.filter(moderated_communes_q(admin))`; `field=""` filters
    Commune rows themselves. Matches nothing for users who moderate nowhere.
    """
    admin = _admin(user)
    if admin is None:
        return Q(pk__in=[])
    if admin.is_superuser:
        return Q()
    scope = admin_scope_for(user=admin)
    if scope is None:
        return Q(pk__in=[])
    commune_ids = [c.pk for c in scope.communes.all()]
    if commune_ids:
        return Q(**{f"{field or 'pk'}__in": commune_ids})
    return Q(**{f"{field}__province_id" if field else "province_id": scope.province_id})
