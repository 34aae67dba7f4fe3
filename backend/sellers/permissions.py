"""Who acts for a seller: its staff (owner or staff role).

The sellers app owns memberships, so it registers the seller owner and seller staff roles of the
permission table (`backend.accounts.permissions`); services check their act with
`ensure_may(actor=…, act=Act.…, place=seller_place(seller))`. Anonymous users are never staff;
callers that need a signed-in user check that first (`require_user`) so the API can answer
AUTHENTICATION_REQUIRED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.accounts.permissions import Place, Role, locate_sellers_with, place_of, role_test
from backend.accounts.selectors import admin_scope_for
from backend.core.errors import PermissionDenied
from backend.sellers.models import MembershipRole, Seller, SellerMembership


def _user_pk(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    pk: int | None = getattr(user, "pk", None)
    return pk


def staff_seller_ids(user: Any) -> set[int]:
    """Ids of the sellers `user` works for (any role); empty for anonymous users."""
    pk = _user_pk(user)
    if pk is None:
        return set()
    return set(SellerMembership.objects.filter(user_id=pk).values_list("seller_id", flat=True))


def owned_seller_ids(user: Any) -> set[int]:
    """Ids of the sellers `user` owns."""
    pk = _user_pk(user)
    if pk is None:
        return set()
    return set(
        SellerMembership.objects.filter(user_id=pk, role=MembershipRole.OWNER).values_list("seller_id", flat=True)
    )


def is_seller_staff(*, user: Any, seller: Seller | int) -> bool:
    """Does `user` work for `seller` (owner or staff)?"""
    pk = _user_pk(user)
    seller_id = seller if isinstance(seller, int) else seller.pk
    if pk is None or seller_id is None:
        return False
    return SellerMembership.objects.filter(user_id=pk, seller_id=seller_id).exists()


def is_seller_owner(*, user: Any, seller: Seller | int) -> bool:
    """Is `user` an owner of `seller`?"""
    pk = _user_pk(user)
    seller_id = seller if isinstance(seller, int) else seller.pk
    if pk is None or seller_id is None:
        return False
    return SellerMembership.objects.filter(user_id=pk, seller_id=seller_id, role=MembershipRole.OWNER).exists()


def seller_place(seller: Seller | int, **extra: Any) -> Place:
    """The place of an act on `seller`'s data: its commune, province and the seller itself.

    Given only an id, the place names the seller; its commune is looked up only if a role of the
    act needs it (a province admin's scope), so acts of the seller's staff cost no extra query.
    """
    if isinstance(seller, int):
        return Place(seller_id=seller, **extra)
    return place_of(commune=seller.commune, seller_id=seller.pk, **extra)


def _seller_location(seller_id: int) -> tuple[int | None, int | None]:
    found = Seller.objects.filter(pk=seller_id).values_list("commune_id", "commune__province_id").first()
    return found if found is not None else (None, None)


locate_sellers_with(_seller_location)


@role_test(Role.SELLER_STAFF)
def _seller_staff(user: User, place: Place) -> bool:
    return place.seller_id is not None and is_seller_staff(user=user, seller=place.seller_id)


@role_test(Role.SELLER_OWNER)
def _seller_owner(user: User, place: Place) -> bool:
    return place.seller_id is not None and is_seller_owner(user=user, seller=place.seller_id)


def ensure_seller_staff(*, user: Any, seller: Seller | int) -> None:
    """Raise PermissionDenied unless `user` works for `seller`."""
    if not is_seller_staff(user=user, seller=seller):
        raise PermissionDenied()


def ensure_seller_owner(*, user: Any, seller: Seller | int) -> None:
    """Raise PermissionDenied unless `user` owns `seller`."""
    if not is_seller_owner(user=user, seller=seller):
        raise PermissionDenied()


@dataclass(frozen=True)
class SellerViewer:
    """What one viewer may see of sellers, loaded once (two queries) per request.

    Lets a listing decide per row whether to show staff-only fields without a
    query per row.
    """

    staff_ids: frozenset[int] = frozenset()
    owner_ids: frozenset[int] = frozenset()
    superuser: bool = False
    province_id: int | None = None
    commune_ids: frozenset[int] = frozenset()  # empty: the whole province

    @classmethod
    def of(cls, user: Any) -> SellerViewer:
        pk = _user_pk(user)
        if pk is None or not isinstance(user, User):
            return cls()
        roles = list(SellerMembership.objects.filter(user_id=pk).values_list("seller_id", "role"))
        scope = None if user.is_superuser else admin_scope_for(user=user)
        return cls(
            staff_ids=frozenset(seller_id for seller_id, _role in roles),
            owner_ids=frozenset(seller_id for seller_id, role in roles if role == MembershipRole.OWNER),
            superuser=user.is_superuser,
            province_id=scope.province_id if scope is not None else None,
            commune_ids=frozenset(c.pk for c in scope.communes.all()) if scope is not None else frozenset(),
        )

    @property
    def is_admin(self) -> bool:
        return self.superuser or self.province_id is not None

    def is_staff_of(self, seller_id: int | None) -> bool:
        return seller_id is not None and seller_id in self.staff_ids

    def moderates(self, *, commune_id: int | None, province_id: int | None) -> bool:
        if self.superuser:
            return True
        if self.province_id is None or province_id != self.province_id:
            return False
        return not self.commune_ids or commune_id in self.commune_ids

    def can_manage(self, *, seller_id: int | None, commune_id: int | None, province_id: int | None) -> bool:
        """Staff of the seller, or an admin whose scope covers its commune."""
        return self.is_staff_of(seller_id) or self.moderates(commune_id=commune_id, province_id=province_id)
