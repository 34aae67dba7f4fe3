"""GraphQL types of sellers.

`Seller` is also fed plain dicts by fast listings (keys: id, slug, name,
kind, status, commune, …): id, slug, name and commune use the default
resolvers, and every other field reads both shapes through `_get`. The enums
take raw strings ("COOPERATIVE") as well as the model's TextChoices members.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone
from graphene import relay

from backend.catalog.listing import rating_row
from backend.moderation.selectors import audit_entries_for
from backend.regions.models import Commune as CommuneModel
from backend.reviews.selectors import seller_reviews
from backend.sellers import selectors
from backend.sellers.documents import document_link
from backend.sellers.models import WITHHELD_TAX_STATUSES, SellerMembership
from backend.sellers.models import IdentityVerification as IdentityVerificationModel
from backend.sellers.models import MemberHousehold as MemberHouseholdModel
from backend.sellers.models import Seller as SellerModel
from backend.sellers.models import SellerDocument as SellerDocumentModel
from backend.sellers.models import SellerInvitation as SellerInvitationModel
from backend.sellers.permissions import SellerViewer
from identity.numbers import mask
from storefront_api.core.auth import current_user
from storefront_api.core.connection import Page, connection_type, paginate
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import Payload
from storefront_api.moderation.audit import AuditEntry
from storefront_api.regions.types import Commune
from storefront_api.sellers.identity_types import IdentityVerification


class SellerKind(graphene.Enum):
    COOPERATIVE = "COOPERATIVE"
    HOUSEHOLD = "HOUSEHOLD"
    ENTERPRISE = "ENTERPRISE"
    TOUR_OPERATOR = "TOUR_OPERATOR"


class SellerStatus(graphene.Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class SellerTaxStatus(graphene.Enum):
    """Decree 117/2025: HOUSEHOLD and INDIVIDUAL have VAT and PIT withheld; the others declare their own."""

    HOUSEHOLD = "HOUSEHOLD"
    INDIVIDUAL = "INDIVIDUAL"
    COOPERATIVE = "COOPERATIVE"
    ENTERPRISE = "ENTERPRISE"


def seller_viewer(info: graphene.ResolveInfo) -> SellerViewer:
    """The viewer's seller memberships and admin scope, loaded once per request."""
    viewer = getattr(info.context, "_seller_viewer", None)
    if viewer is None:
        viewer = SellerViewer.of(current_user(info))
        info.context._seller_viewer = viewer
    return viewer


def rating_of(root: Any) -> dict[str, Any]:
    """The rating counters of a seller row (dict, from a listing) or model instance."""
    if isinstance(root, dict) and "rating" in root:
        found: dict[str, Any] = root["rating"]
        return found
    return rating_row(
        count=_get(root, "rating_count", 0),
        total=_get(root, "rating_sum", 0),
        stars=_get(root, "rating_stars"),
        score=_get(root, "rating_score", 0.0),
        sold=_get(root, "sold_12m", 0),
    )


def _get(root: Any, name: str, default: Any = None) -> Any:
    return root.get(name, default) if isinstance(root, dict) else getattr(root, name, default)


def _choice(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _seller_id(root: Any) -> int | None:
    value = _get(root, "id") if isinstance(root, dict) else root.pk
    return int(value) if value is not None else None


def _commune_and_province(root: Any) -> tuple[int | None, int | None]:
    commune = _get(root, "commune")
    if isinstance(commune, CommuneModel):
        return commune.pk, commune.province_id
    if isinstance(commune, dict):
        province = commune.get("province")
        province_id = commune.get("province_id") or (_get(province, "id") if province is not None else None)
        commune_id = commune.get("id")
    else:
        commune_id, province_id = _get(root, "commune_id"), None
    if commune_id is not None and province_id is None:
        province_id = CommuneModel.objects.filter(pk=commune_id).values_list("province_id", flat=True).first()
    return commune_id, province_id


def can_manage(root: Any, info: graphene.ResolveInfo) -> bool:
    """May the viewer read this seller's private fields (staff of it, or admin in its scope)?"""
    viewer = seller_viewer(info)
    if viewer.is_staff_of(_seller_id(root)) or viewer.superuser:
        return True
    if viewer.province_id is None:
        return False
    commune_id, province_id = _commune_and_province(root)
    return viewer.moderates(commune_id=commune_id, province_id=province_id)


def _related(root: Any, name: str, fallback: QuerySet[Any]) -> Any:
    """A to-many relation, from the prefetch cache when the listing prefetched it."""
    if isinstance(root, SellerModel) and name in getattr(root, "_prefetched_objects_cache", {}):
        return list(getattr(root, name).all())
    return list(fallback)


class PayoutAccount(graphene.ObjectType):
    """Where payouts go. Visible to the seller's staff and admins only."""

    bank_bin = graphene.String(required=True, description="6-digit NAPAS bank BIN.")
    account_number = graphene.String(required=True)
    account_name = graphene.String(required=True)


class MemberHousehold(graphene.ObjectType):
    """A farming household of a cooperative."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    commune = graphene.Field(graphene.NonNull(Commune))
    phone = graphene.String()

    @staticmethod
    def resolve_id(root: MemberHouseholdModel, info: graphene.ResolveInfo) -> str:
        return global_id("MemberHousehold", root.pk)

    @staticmethod
    def resolve_phone(root: MemberHouseholdModel, info: graphene.ResolveInfo) -> str | None:
        return root.phone or None


class SellerDocument(graphene.ObjectType):
    """A business registration or food-safety certificate uploaded by the owner."""

    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="BUSINESS_REGISTRATION | FOOD_SAFETY_CERTIFICATE")
    file_name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    size = graphene.Int(required=True, description="Bytes.")
    url = graphene.String(required=True, description="A link for you, valid 10 minutes (the file is private).")
    uploaded_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: SellerDocumentModel, info: graphene.ResolveInfo) -> str:
        return global_id("SellerDocument", root.pk)

    @staticmethod
    def resolve_file_name(root: SellerDocumentModel, info: graphene.ResolveInfo) -> str:
        return root.original_name or root.file.name.rsplit("/", 1)[-1]

    @staticmethod
    def resolve_url(root: SellerDocumentModel, info: graphene.ResolveInfo) -> str:
        return document_link(document=root, viewer=current_user(info))

    @staticmethod
    def resolve_uploaded_at(root: SellerDocumentModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.created_at)


class SellerStaffMember(graphene.ObjectType):
    email = graphene.String(required=True)
    full_name = graphene.String()
    role = graphene.String(required=True, description="OWNER | STAFF")

    @staticmethod
    def resolve_email(root: SellerMembership, info: graphene.ResolveInfo) -> str:
        return root.user.email or ""  # phone-only accounts have none

    @staticmethod
    def resolve_full_name(root: SellerMembership, info: graphene.ResolveInfo) -> str | None:
        return root.user.full_name or None


class SellerInvitation(graphene.ObjectType):
    """A pending invitation to a seller's staff (its code is only sent by e-mail)."""

    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    role = graphene.String(required=True)
    expires_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: SellerInvitationModel, info: graphene.ResolveInfo) -> str:
        return global_id("SellerInvitation", root.pk)

    @staticmethod
    def resolve_expires_at(root: SellerInvitationModel, info: graphene.ResolveInfo) -> Any:
        return timezone.localtime(root.expires_at)


class Seller(graphene.ObjectType):
    """A cooperative, household, enterprise or tour operator selling on Chợ Phiên.

    Fields marked "staff and admins" are null for everyone else.
    """

    class Meta:
        interfaces = (relay.Node,)

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(graphene.NonNull(SellerKind))
    status = graphene.Field(graphene.NonNull(SellerStatus), description="Non-admins only ever see APPROVED sellers.")
    commune = graphene.Field(graphene.NonNull(Commune))
    description = graphene.String()
    address = graphene.String()
    phone = graphene.String(description="E.164, e.g. +84903123456.")
    logo_url = graphene.String()
    tax_code = graphene.String(description="Masked (0********3). Staff and admins only.")
    tax_status = graphene.Field(SellerTaxStatus, description="Who declares VAT and PIT. Staff and admins only.")
    tax_withheld = graphene.Boolean(description="The platform withholds VAT and PIT. Staff and admins only.")
    personal_id = graphene.String(description="The CCCD number, masked (0**********5). Staff and admins only.")
    business_registration_no = graphene.String(description="Cooperatives and enterprises. Staff and admins only.")
    identity_verified_at = graphene.DateTime(description="When the seller's identity was verified. Staff and admins.")
    identity_verifications = graphene.List(
        graphene.NonNull(IdentityVerification), description="Identity verifications, newest first. Staff and admins."
    )
    payout_account = graphene.Field(PayoutAccount, description="Staff and admins only.")
    commission_rate_bp = graphene.Int(description="Platform commission in basis points (500 = 5 %). Staff and admins.")
    status_reason = graphene.String(description="Reason or note of the last decision. Staff and admins only.")
    households = graphene.List(
        graphene.NonNull(MemberHousehold), description="A cooperative's member households. Staff and admins only."
    )
    documents = graphene.List(graphene.NonNull(SellerDocument), description="Staff and admins only.")
    staff = graphene.List(graphene.NonNull(SellerStaffMember), description="Staff and admins only.")
    audit_log = graphene.Field(
        connection_type(AuditEntry),
        first=graphene.Int(),
        after=graphene.String(),
        description="Moderation history, newest first. Admins only.",
    )
    products = graphene.Field(
        graphene.NonNull(lambda: _product_connection_type()),
        first=graphene.Int(),
        after=graphene.String(),
        description="The seller's products you may see, newest first.",
    )
    rating = graphene.Field(
        graphene.NonNull("storefront_api.reviews.types.Rating"), description="Over all its products' verified reviews."
    )
    sold_count = graphene.Int(required=True, description='"Đã bán": units delivered over the last 12 months.')
    reviews = graphene.Field(
        graphene.NonNull("storefront_api.reviews.types.ReviewConnection"),
        first=graphene.Int(),
        after=graphene.String(),
        description="Verified buyers' reviews of its products, newest first.",
    )

    @staticmethod
    def resolve_rating(root: Any, info: graphene.ResolveInfo) -> Any:
        return rating_of(root)

    @staticmethod
    def resolve_sold_count(root: Any, info: graphene.ResolveInfo) -> int:
        return int(rating_of(root)["sold"])

    @staticmethod
    def resolve_reviews(
        root: Any, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> Any:
        seller_id = root["id"] if isinstance(root, dict) else root.pk
        return paginate(seller_reviews(seller_id=seller_id), first=first, after=after)

    @staticmethod
    def resolve_products(
        root: SellerModel | dict[str, Any],
        info: graphene.ResolveInfo,
        first: int | None = None,
        after: str | None = None,
    ) -> object:
        from storefront_api.catalog.queries import seller_product_connection

        seller_id = root["id"] if isinstance(root, dict) else root.pk
        return seller_product_connection(info, seller_id=seller_id, first=first, after=after)

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: str) -> SellerModel | None:
        return selectors.seller_get(user=current_user(info), pk=int(id)) if str(id).isdigit() else None

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, SellerModel | dict)

    # Model instances may hold TextChoices members (fresh objects) or plain strings
    # (loaded rows, dicts); the GraphQL enums want the plain value.
    @staticmethod
    def resolve_kind(root: Any, info: graphene.ResolveInfo) -> str | None:
        return _choice(_get(root, "kind"))

    @staticmethod
    def resolve_status(root: Any, info: graphene.ResolveInfo) -> str | None:
        return _choice(_get(root, "status"))

    @staticmethod
    def resolve_logo_url(root: Any, info: graphene.ResolveInfo) -> str | None:
        logo = _get(root, "logo")
        name = getattr(logo, "name", logo)
        return default_storage.url(name) if name else None

    @staticmethod
    def resolve_tax_code(root: Any, info: graphene.ResolveInfo) -> str | None:
        value = _get(root, "tax_code") if can_manage(root, info) else None
        return mask(value) if value else None

    @staticmethod
    def resolve_personal_id(root: Any, info: graphene.ResolveInfo) -> str | None:
        value = _get(root, "personal_id") if can_manage(root, info) else None
        return mask(value) if value else None

    @staticmethod
    def resolve_tax_status(root: Any, info: graphene.ResolveInfo) -> str | None:
        return (_choice(_get(root, "tax_status")) or None) if can_manage(root, info) else None

    @staticmethod
    def resolve_tax_withheld(root: Any, info: graphene.ResolveInfo) -> bool | None:
        if not can_manage(root, info):
            return None
        return _choice(_get(root, "tax_status")) in WITHHELD_TAX_STATUSES

    @staticmethod
    def resolve_business_registration_no(root: Any, info: graphene.ResolveInfo) -> str | None:
        return (_get(root, "business_registration_no") or None) if can_manage(root, info) else None

    @staticmethod
    def resolve_identity_verifications(root: Any, info: graphene.ResolveInfo) -> list[Any] | None:
        seller_id = _seller_id(root)
        if seller_id is None or not can_manage(root, info):
            return None
        return list(IdentityVerificationModel.objects.filter(seller_id=seller_id).order_by("-created_at", "-id"))

    @staticmethod
    def resolve_identity_verified_at(root: Any, info: graphene.ResolveInfo) -> Any:
        value = _get(root, "identity_verified_at") if can_manage(root, info) else None
        return timezone.localtime(value) if value else None

    @staticmethod
    def resolve_commission_rate_bp(root: Any, info: graphene.ResolveInfo) -> int | None:
        return _get(root, "commission_rate_bp") if can_manage(root, info) else None

    @staticmethod
    def resolve_status_reason(root: Any, info: graphene.ResolveInfo) -> str | None:
        return (_get(root, "status_reason") or None) if can_manage(root, info) else None

    @staticmethod
    def resolve_payout_account(root: Any, info: graphene.ResolveInfo) -> PayoutAccount | None:
        if not can_manage(root, info):
            return None
        number = _get(root, "bank_account_no")
        if not number:
            return None
        return PayoutAccount(
            bank_bin=_get(root, "bank_bin") or "",
            account_number=number,
            account_name=_get(root, "bank_account_name") or "",
        )

    @staticmethod
    def resolve_households(root: Any, info: graphene.ResolveInfo) -> list[MemberHouseholdModel] | None:
        seller_id = _seller_id(root)
        if seller_id is None or not can_manage(root, info):
            return None
        queryset = MemberHouseholdModel.objects.filter(seller_id=seller_id)
        return _related(root, "households", queryset.select_related("commune__province").order_by("name", "pk"))

    @staticmethod
    def resolve_documents(root: Any, info: graphene.ResolveInfo) -> list[SellerDocumentModel] | None:
        seller_id = _seller_id(root)
        if seller_id is None or not can_manage(root, info):
            return None
        return _related(root, "documents", SellerDocumentModel.objects.filter(seller_id=seller_id))

    @staticmethod
    def resolve_staff(root: Any, info: graphene.ResolveInfo) -> list[SellerMembership] | None:
        seller_id = _seller_id(root)
        if seller_id is None or not can_manage(root, info):
            return None
        queryset = SellerMembership.objects.filter(seller_id=seller_id).select_related("user")
        return _related(root, "memberships", queryset.order_by("role", "created_at"))

    @staticmethod
    def resolve_audit_log(
        root: Any, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> Page | None:
        viewer = seller_viewer(info)
        if not viewer.is_admin:
            return None
        commune_id, province_id = _commune_and_province(root)
        if not viewer.moderates(commune_id=commune_id, province_id=province_id):
            return None
        entries = audit_entries_for(user=current_user(info), target_type="seller", target_id=_seller_id(root))
        return paginate(entries, first=first, after=after)


class SellerPayload(Payload):
    seller = graphene.Field(Seller)


def seller_prefetches(names: set[str]) -> list[str]:
    """Relations worth prefetching for a listing that selects these field names."""
    wanted = {"households": "households__commune__province", "documents": "documents", "staff": "memberships__user"}
    return [path for field, path in wanted.items() if field in names]


def _product_connection_type() -> type[graphene.ObjectType]:
    # Imported lazily: catalog types refer to Seller.
    from storefront_api.catalog.types import Product

    return connection_type(Product)
