"""Read side of sellers: who sees which seller, listings shaped for their callers.

Buyers and anonymous visitors only ever see APPROVED sellers. Province admins
also see every status in their scope; a seller's staff reach their own seller
in any status through `seller_get` and `sellers_of_user`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from backend.accounts.permissions import moderated_communes_q
from backend.core.text import search_key
from backend.sellers.models import (
    IdentityVerification,
    IdentityVerificationStatus,
    MemberHousehold,
    Seller,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
    SellerStatus,
)
from backend.sellers.permissions import staff_seller_ids


def _base() -> QuerySet[Seller]:
    # Every card shows the commune and its province: join them, never a query per row.
    return Seller.objects.select_related("commune__province")


def _visible_q(user: Any, *, include_own: bool) -> Q:
    in_scope = moderated_communes_q(user)
    if not in_scope:  # an empty Q matches everything: a superuser
        return Q()
    visible = Q(status=SellerStatus.APPROVED) | in_scope
    if include_own:
        own = staff_seller_ids(user)
        if own:
            visible |= Q(pk__in=own)
    return visible


def seller_list(
    *,
    user: Any,
    status: str | None = None,
    commune_id: int | None = None,
    kind: str | None = None,
    search: str | None = None,
    province_id: int | None = None,
) -> QuerySet[Seller]:
    """Sellers `user` may browse, filtered; ordered by name.

    A status other than APPROVED only matches sellers in the user's moderation
    scope, so for buyers it yields nothing.
    """
    sellers = _base().filter(_visible_q(user, include_own=False))
    if status:
        sellers = sellers.filter(status=status)
    if commune_id is not None:
        sellers = sellers.filter(commune_id=commune_id)
    if province_id is not None:
        sellers = sellers.filter(commune__province_id=province_id)
    if kind:
        sellers = sellers.filter(kind=kind)
    for word in search_key(search or "").split():
        sellers = sellers.filter(search_name__contains=word)
    return sellers.order_by("name", "pk")


def seller_get(*, user: Any, pk: int | None = None, slug: str | None = None) -> Seller | None:
    """One seller by id or slug if `user` may see it (approved, own, or in their scope)."""
    if pk is None and not slug:
        return None
    sellers = _base().filter(_visible_q(user, include_own=True))
    sellers = sellers.filter(pk=pk) if pk is not None else sellers.filter(slug=slug)
    return sellers.first()


def sellers_of_user(*, user: Any) -> QuerySet[Seller]:
    """The sellers `user` is staff of (any role, any status), by name."""
    if not getattr(user, "is_authenticated", False):
        return Seller.objects.none()
    return _base().filter(memberships__user_id=user.pk).order_by("name", "pk").distinct()


def seller_by_id(*, pk: int) -> Seller | None:
    """A seller regardless of visibility: for services, which check permissions themselves."""
    return _base().filter(pk=pk).first()


def moderation_queue(*, user: Any) -> QuerySet[Seller]:
    """Sellers in `user`'s moderation scope (all statuses), oldest application first."""
    return _base().filter(moderated_communes_q(user)).order_by("applied_at", "pk")


def seller_is_open(*, seller: Seller) -> bool:
    """Does the seller show its listings and take orders? Only while APPROVED."""
    return seller.status == SellerStatus.APPROVED


def households_of(*, seller: Seller) -> QuerySet[MemberHousehold]:
    return seller.households.select_related("commune__province").order_by("name", "pk")


def documents_of(*, seller: Seller) -> QuerySet[SellerDocument]:
    return seller.documents.order_by("-created_at", "-pk")


def staff_of(*, seller: Seller) -> QuerySet[SellerMembership]:
    """The seller's staff (owners first) with their users."""
    return seller.memberships.select_related("user").order_by("role", "user__email")


def invitations_of(*, seller: Seller) -> QuerySet[SellerInvitation]:
    """Invitations not yet accepted, newest first."""
    return seller.invitations.filter(accepted_at__isnull=True).order_by("-created_at", "-pk")


def identity_reviews_for(*, user: Any, pending_only: bool = True) -> QuerySet[IdentityVerification]:
    """Manual identity reviews of the sellers the admin moderates, oldest first (they wait)."""
    queryset = IdentityVerification.objects.filter(
        moderated_communes_q(user, field="seller__commune"), provider="manual"
    ).select_related("seller__commune")
    if pending_only:
        queryset = queryset.filter(status=IdentityVerificationStatus.PENDING)
    return queryset.order_by("created_at", "pk")
