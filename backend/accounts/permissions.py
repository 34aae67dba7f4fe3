"""Who may do what: one table of named acts and the roles allowed to do them.

Every service that changes something checks its act first, against the place of the object it
changes (the seller's commune and province, the seller, the order's buyer):

    ensure_may(actor=actor, act=Act.ORDER_REFUND, place=place_of(commune=seller.commune, seller_id=seller.pk))

A role holds at a place when:

- platform staff: `User.is_platform_staff` (the marketplace's operators), everywhere;
- province operator: a province admin covering the place whose province is listed in the
  PLATFORM_OPERATOR_PROVINCES setting (that province runs the platform's money itself);
- province admin: a `ProvinceAdminScope` of the place's province, for the whole province or for a
  list of communes including the place's commune (a place without a commune, such as a province
  dashboard, needs the province only);
- seller owner / seller staff: a membership of the place's seller (registered by the sellers app,
  which owns memberships);
- buyer: the place's buyer is the user;
- signed-in user: any active account.

Superusers may do everything. `is_staff` only opens the Django admin and grants no role.

To add a role: a `Role` member, one `@role_test(Role.X)` function, and the role in the rows of
`RULES` it may do; docs/permissions.md lists the same table (a test keeps the two equal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Q

from backend.accounts.models import ProvinceAdminScope, User
from backend.accounts.selectors import admin_scope_for
from backend.core.errors import PermissionDenied
from backend.regions.models import Commune, Province


class Role(StrEnum):
    PLATFORM_STAFF = "platform staff"
    PROVINCE_OPERATOR = "province operator"
    PROVINCE_ADMIN = "province admin"
    SELLER_OWNER = "seller owner"
    SELLER_STAFF = "seller staff"
    COMMUNE_HELPER = "commune helper"
    BUYER = "buyer"
    SIGNED_IN = "signed-in user"


class Act(StrEnum):
    # sellers
    SELLER_APPLY = "seller.apply"
    SELLER_APPROVE = "seller.approve"
    SELLER_REJECT = "seller.reject"
    SELLER_SUSPEND = "seller.suspend"
    SELLER_REINSTATE = "seller.reinstate"
    SELLER_STAFF_INVITE = "seller.staff.invite"
    SELLER_HOUSEHOLD_ADD = "seller.household.add"
    SELLER_DOCUMENT_UPLOAD = "seller.document.upload"
    SELLER_DOCUMENT_VIEW = "seller.document.view"
    SELLER_COMMISSION_SET = "seller.commission.set"
    SELLER_PAYOUT = "seller.payout"
    SELLER_PRIVATE_VIEW = "seller.private.view"
    SELLER_BALANCE_VIEW = "seller.balance.view"
    SELLER_IDENTITY_SUBMIT = "seller.identity.submit"
    SELLER_IDENTITY_REVIEW = "seller.identity.review"
    # catalog and moderation
    PRODUCT_EDIT = "product.edit"
    PRODUCT_STOCK = "product.stock"
    CERTIFICATION_ADD = "product.certification.add"
    CERTIFICATION_VERIFY = "product.certification.verify"
    PRODUCT_HIDE = "product.hide"
    TAKEDOWN_RECORD = "takedown.record"
    LISTING_REPORT = "listing.report"
    LISTING_REPORT_DISMISS = "listing.report.dismiss"
    # orders and cash on delivery
    SELLER_ORDER_HANDLE = "seller_order.handle"
    SELLER_ORDER_CANCEL = "seller_order.cancel"
    ORDER_REFUND = "order.refund"
    COD_DELIVERY = "cod.delivery"
    COD_COLLECT_OWN = "cod.collect.own"
    COD_COLLECT_CARRIER = "cod.collect.carrier"
    COD_REMIT = "cod.remit"
    COD_SETTLE = "cod.settle"
    COD_REFUND = "cod.refund"
    # experiences
    EXPERIENCE_EDIT = "experience.edit"
    SLOT_CANCEL = "experience.slot.cancel"
    BOOKING_CANCEL = "booking.cancel"
    BOOKING_NO_SHOW = "booking.no_show"
    TICKET_CHECK_IN = "ticket.check_in"
    # reviews
    REVIEW_WRITE = "review.write"
    REVIEW_REPLY = "review.reply"
    REVIEW_HIDE = "review.hide"
    # province reports
    PROVINCE_DASHBOARD = "province.dashboard"
    PROVINCE_EXPORT = "province.export"
    PROVINCE_IMPORT = "province.import"
    # commune helpers
    HELPER_APPOINT = "helper.appoint"
    HELPER_HOUSEHOLD_REGISTER = "helper.household.register"
    SELLER_HELPER_REVOKE = "seller.helper.revoke"
    # Tax withheld for households (Decree 117/2025) and seller information (Decree 91/2022).
    TAX_DECLARATION_VIEW = "tax.declaration.view"
    TAX_PERIOD_CLOSE = "tax.period.close"
    TAX_STATEMENT_VIEW = "tax.statement.view"


_PLATFORM = frozenset({Role.PLATFORM_STAFF, Role.PROVINCE_OPERATOR})
_SELLER = frozenset({Role.SELLER_STAFF})
_OWNER = frozenset({Role.SELLER_OWNER})
_PROVINCE = frozenset({Role.PROVINCE_ADMIN})
# A commune helper acts for the sellers that granted it (never their money, staff or documents).
_HELPED = frozenset({Role.SELLER_STAFF, Role.COMMUNE_HELPER})

RULES: dict[Act, frozenset[Role]] = {
    Act.SELLER_APPLY: frozenset({Role.SIGNED_IN}),
    Act.SELLER_APPROVE: _PROVINCE,
    Act.SELLER_REJECT: _PROVINCE,
    Act.SELLER_SUSPEND: _PROVINCE,
    Act.SELLER_REINSTATE: _PROVINCE,
    Act.SELLER_STAFF_INVITE: _OWNER,
    Act.SELLER_HOUSEHOLD_ADD: _SELLER,
    Act.SELLER_DOCUMENT_UPLOAD: _OWNER,
    Act.SELLER_DOCUMENT_VIEW: _SELLER | _PROVINCE,
    Act.SELLER_COMMISSION_SET: _PLATFORM,
    Act.SELLER_PAYOUT: _PLATFORM,
    Act.SELLER_PRIVATE_VIEW: _HELPED,
    Act.SELLER_BALANCE_VIEW: _SELLER | _PLATFORM,
    Act.SELLER_IDENTITY_SUBMIT: _OWNER,
    Act.SELLER_IDENTITY_REVIEW: _PROVINCE,
    Act.PRODUCT_EDIT: _HELPED,
    Act.PRODUCT_STOCK: _HELPED,
    Act.CERTIFICATION_ADD: _SELLER,
    Act.CERTIFICATION_VERIFY: _PROVINCE,
    Act.PRODUCT_HIDE: _PROVINCE,
    Act.TAKEDOWN_RECORD: _PROVINCE,
    Act.LISTING_REPORT: frozenset({Role.SIGNED_IN}),
    Act.LISTING_REPORT_DISMISS: _PROVINCE,
    Act.SELLER_ORDER_HANDLE: _HELPED,
    Act.SELLER_ORDER_CANCEL: _SELLER,
    # A complaint after delivery: the platform, or the province admins covering the seller.
    Act.ORDER_REFUND: _PLATFORM | _PROVINCE,
    # Cash on delivery: the seller records what it handles itself; the platform what carriers
    # report and the money moving between carrier, platform and seller.
    Act.COD_DELIVERY: _HELPED | _PLATFORM,
    Act.COD_COLLECT_OWN: _HELPED,
    Act.COD_COLLECT_CARRIER: _PLATFORM,
    Act.COD_REMIT: _PLATFORM,
    Act.COD_SETTLE: _PLATFORM,
    Act.COD_REFUND: _PLATFORM,
    Act.EXPERIENCE_EDIT: _SELLER,
    Act.SLOT_CANCEL: _SELLER | {Role.PLATFORM_STAFF},
    Act.BOOKING_CANCEL: frozenset({Role.BUYER, Role.PLATFORM_STAFF}),
    Act.BOOKING_NO_SHOW: _SELLER,
    Act.TICKET_CHECK_IN: _SELLER,
    # Only the buyer of the line; the seller may answer but never hide (no suppression).
    Act.REVIEW_WRITE: frozenset({Role.BUYER}),
    Act.REVIEW_REPLY: _SELLER,
    Act.REVIEW_HIDE: _PROVINCE,
    Act.PROVINCE_DASHBOARD: _PROVINCE,
    Act.PROVINCE_EXPORT: _PROVINCE,
    Act.PROVINCE_IMPORT: _PROVINCE,
    Act.HELPER_APPOINT: _PROVINCE,
    Act.HELPER_HOUSEHOLD_REGISTER: frozenset({Role.COMMUNE_HELPER}),
    Act.SELLER_HELPER_REVOKE: _OWNER,
    Act.TAX_DECLARATION_VIEW: _PROVINCE | {Role.PLATFORM_STAFF},
    Act.TAX_PERIOD_CLOSE: _PROVINCE | {Role.PLATFORM_STAFF},
    Act.TAX_STATEMENT_VIEW: _SELLER | _PROVINCE | {Role.PLATFORM_STAFF},
}


@dataclass(frozen=True)
class Place:
    """Where an act happens: the object's province and commune, its seller and its buyer."""

    province_id: int | None = None
    commune_id: int | None = None
    seller_id: int | None = None
    buyer_id: int | None = None


def place_of(
    *, commune: Commune | None = None, province: Province | None = None, seller_id: int | None = None, **extra: Any
) -> Place:
    """The place of an object in `commune` (or, for province-wide acts, in `province`)."""
    if commune is not None:
        return Place(province_id=commune.province_id, commune_id=commune.pk, seller_id=seller_id, **extra)
    return Place(province_id=province.pk if province is not None else None, seller_id=seller_id, **extra)


RoleTest = Callable[[User, Place], bool]
_ROLE_TESTS: dict[Role, RoleTest] = {}
# Finds (commune id, province id) of a seller, for places that name only the seller.
_seller_location: list[Callable[[int], tuple[int | None, int | None]]] = []


def locate_sellers_with(locate: Callable[[int], tuple[int | None, int | None]]) -> None:
    """Register how a place that names only a seller learns its commune (the sellers app does)."""
    _seller_location[:] = [locate]


def located(place: Place) -> Place:
    """`place` with its commune and province (looked up from its seller when it names only that)."""
    return _located(place)


_helper_recorders: list[Callable[[User, Act, Place], None]] = []


def record_helper_acts_with(record: Callable[[User, Act, Place], None]) -> None:
    """Register how an act a commune helper does for a seller is recorded (the helpers app does)."""
    _helper_recorders[:] = [record]


def _located(place: Place) -> Place:
    """`place` with its commune and province, looked up from its seller when it names only that."""
    if place.province_id is None and place.seller_id is not None and _seller_location:
        commune_id, province_id = _seller_location[0](place.seller_id)
        return replace(place, commune_id=commune_id, province_id=province_id)
    return place


def role_test(role: Role) -> Callable[[RoleTest], RoleTest]:
    """Register how to tell whether a user holds `role` at a place (one function per role)."""

    def register(test: RoleTest) -> RoleTest:
        _ROLE_TESTS[role] = test
        return test

    return register


def active_user(user: Any) -> User | None:
    """`user` when it is an active, signed-in account (not AnonymousUser/None)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user if isinstance(user, User) else None


def _scope_covers(scope: ProvinceAdminScope | None, place: Place) -> bool:
    if scope is None:
        return False
    place = _located(place)
    if place.province_id is None or scope.province_id != place.province_id:
        return False
    if place.commune_id is None:
        return True  # a province-wide place: any admin of the province
    commune_ids = {c.pk for c in scope.communes.all()}
    return not commune_ids or place.commune_id in commune_ids


@role_test(Role.PLATFORM_STAFF)
def _platform_staff(user: User, place: Place) -> bool:
    return user.is_platform_staff


@role_test(Role.PROVINCE_ADMIN)
def _province_admin(user: User, place: Place) -> bool:
    return _scope_covers(admin_scope_for(user=user), place)


@role_test(Role.PROVINCE_OPERATOR)
def _province_operator(user: User, place: Place) -> bool:
    operators = set(settings.PLATFORM_OPERATOR_PROVINCES)
    if not operators:
        return False
    scope = admin_scope_for(user=user)
    return scope is not None and scope.province.slug in operators and _scope_covers(scope, place)


@role_test(Role.BUYER)
def _buyer(user: User, place: Place) -> bool:
    return place.buyer_id is not None and place.buyer_id == user.pk


@role_test(Role.SIGNED_IN)
def _signed_in(user: User, place: Place) -> bool:
    return True


def roles_for(act: Act) -> frozenset[Role]:
    return RULES[act]


def may(user: Any, act: Act, place: Place) -> bool:
    """May `user` do `act` at `place`? Superusers may do everything; anonymous visitors nothing."""
    actor = active_user(user)
    if actor is None:
        return False
    if actor.is_superuser:
        return True
    return any(_ROLE_TESTS[role](actor, place) for role in RULES[act])


def ensure_may(*, actor: Any, act: Act, place: Place) -> None:
    """Raise PermissionDenied unless `actor` may do `act` at `place`."""
    if not may(actor, act, place):
        raise PermissionDenied()
    if _helper_recorders and place.seller_id is not None and Role.COMMUNE_HELPER in RULES[act]:
        user = active_user(actor)
        others = (role for role in RULES[act] if role is not Role.COMMUNE_HELPER)
        if user is not None and not user.is_superuser and not any(_ROLE_TESTS[r](user, place) for r in others):
            _helper_recorders[0](user, act, place)  # allowed only as the seller's helper: "by X for Y"


def is_platform_staff(user: Any) -> bool:
    """The marketplace's operators (`is_platform_staff`) and superusers; never province admins."""
    actor = active_user(user)
    return actor is not None and (actor.is_superuser or actor.is_platform_staff)


def is_province_admin_for(*, user: Any, commune: Commune) -> bool:
    """Does `user` administer `commune` (superusers: everywhere)?"""
    actor = active_user(user)
    if actor is None:
        return False
    return actor.is_superuser or _province_admin(actor, place_of(commune=commune))


def admin_province_ids(user: Any) -> frozenset[int]:
    """Ids of the provinces where `user` moderates (all of them for a superuser).

    A scope limited to some communes still counts its province here; filter
    rows with `moderated_communes_q` when the commune matters.
    """
    admin = active_user(user)
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
    admin = active_user(user)
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
