"""Read side of commune helpers: a seller's helpers and their acts, a helper's households, and the
province's counts per helper and per commune (which localities are being left behind)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from backend.accounts.models import User
from backend.accounts.permissions import Act, ensure_may, place_of
from backend.catalog.models import Product
from backend.helpers.models import HelperAct, HelperAppointment, HelperGrant
from backend.regions.models import Province
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place


def acts_for_seller(*, seller: Seller, viewer: Any) -> QuerySet[HelperAct]:
    """Every act helpers did for `seller`, newest first: the seller's staff read it."""
    ensure_may(actor=viewer, act=Act.SELLER_PRIVATE_VIEW, place=seller_place(seller))
    return HelperAct.objects.filter(seller=seller).select_related("helper").order_by("-at", "-id")


def households_of(*, helper: User) -> QuerySet[Seller]:
    """The sellers this helper acts for now (the helper workspace's first screen)."""
    return (
        Seller.objects.filter(helper_grants__helper=helper, helper_grants__revoked_at__isnull=True)
        .select_related("commune")
        .order_by("name")
    )


@dataclass(frozen=True)
class HelperCount:
    helper: str
    commune: str
    sellers_onboarded: int
    products_listed: int


def helper_counts(*, province: Province, viewer: Any) -> list[HelperCount]:
    """Per helper and commune: households the helper registered, and their products."""
    ensure_may(actor=viewer, act=Act.PROVINCE_DASHBOARD, place=place_of(province=province))
    grants = (
        HelperGrant.objects.filter(onboarded=True, seller__commune__province=province)
        .values("helper_id", "seller__commune__name")
        .annotate(sellers=Count("seller", distinct=True))
        .order_by("seller__commune__name", "helper_id")
    )
    names = {u.pk: str(u.full_name or u) for u in User.objects.filter(pk__in={g["helper_id"] for g in grants})}
    listed = (
        Product.objects.filter(seller__helper_grants__onboarded=True, seller__commune__province=province)
        .values("seller__helper_grants__helper_id", "seller__commune__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    products = {(row["seller__helper_grants__helper_id"], row["seller__commune__name"]): row["n"] for row in listed}
    return [
        HelperCount(
            helper=names.get(g["helper_id"], ""),
            commune=g["seller__commune__name"],
            sellers_onboarded=g["sellers"],
            products_listed=products.get((g["helper_id"], g["seller__commune__name"]), 0),
        )
        for g in grants
    ]


def appointments_in(*, province: Province) -> list[HelperAppointment]:
    return list(
        HelperAppointment.objects.filter(province=province, revoked_at__isnull=True)
        .select_related("user")
        .prefetch_related("communes")
        .order_by("created_at")
    )


def helpers_of(*, seller: Seller) -> list[HelperGrant]:
    """The helpers acting for `seller` now, with when and by which phone the seller consented."""
    return list(
        HelperGrant.objects.filter(seller=seller, revoked_at__isnull=True)
        .select_related("helper")
        .order_by("consent_at")
    )
