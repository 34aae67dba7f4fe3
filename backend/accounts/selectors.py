"""Read side of accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.accounts.models import ProvinceAdminScope, User


def user_by_email(*, email: str) -> User | None:
    """The user with this e-mail address, compared case-insensitively."""
    return User.objects.filter(email__iexact=(email or "").strip()).first()


def admin_scope_for(*, user: User) -> ProvinceAdminScope | None:
    """The user's province admin scope with its province and communes loaded."""
    return (
        ProvinceAdminScope.objects.select_related("province")
        .prefetch_related("communes")
        .filter(user_id=user.pk)
        .first()
    )


def province_admins(*, province_id: int, commune_id: int | None = None) -> QuerySet[User]:
    """Active users administering a province (or, given `commune_id`, that commune).

    Superusers are not included: they moderate everywhere but are not the
    province's point of contact (e.g. for "new seller application" mail).
    """
    users = User.objects.filter(is_active=True, province_scope__province_id=province_id)
    if commune_id is not None:
        users = users.filter(Q(province_scope__communes__isnull=True) | Q(province_scope__communes__id=commune_id))
    return users.distinct().order_by("email")
