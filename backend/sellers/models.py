"""Sellers (cooperatives, households, enterprises, tour operators) and their staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.crypto import EncryptedCharField, EncryptedTextField, blind_index
from backend.core.errors import InvalidTransition
from backend.core.storage import private_storage
from backend.core.text import search_key
from backend.regions.models import Commune
from backend.regions.terms import province_terms


def default_commission_bp(commune: Commune | None = None) -> int:
    """The platform's commission for a new seller in `commune`, in basis points (500 = 5 %): its
    province's rate (`backend.regions.terms`), else `SELLER_DEFAULT_COMMISSION_BP`."""
    if commune is not None:
        return province_terms(commune.province).commission_bp
    return int(getattr(settings, "SELLER_DEFAULT_COMMISSION_BP", 500))


class SellerKind(models.TextChoices):
    COOPERATIVE = "COOPERATIVE", _("Cooperative")
    HOUSEHOLD = "HOUSEHOLD", _("Household")
    ENTERPRISE = "ENTERPRISE", _("Enterprise")
    TOUR_OPERATOR = "TOUR_OPERATOR", _("Tour operator")


class SellerStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending review")
    APPROVED = "APPROVED", _("Approved")
    REJECTED = "REJECTED", _("Rejected")
    SUSPENDED = "SUSPENDED", _("Suspended")


class TaxStatus(models.TextChoices):
    """Who declares the seller's VAT and PIT (Decree 117/2025/NĐ-CP): households and individuals selling
    through a platform with a payment function have it withheld by the platform; cooperatives and
    enterprises declare their own."""

    HOUSEHOLD = "HOUSEHOLD", _("Household business")
    INDIVIDUAL = "INDIVIDUAL", _("Individual")
    COOPERATIVE = "COOPERATIVE", _("Cooperative")
    ENTERPRISE = "ENTERPRISE", _("Enterprise")


WITHHELD_TAX_STATUSES = frozenset({TaxStatus.HOUSEHOLD, TaxStatus.INDIVIDUAL})
# The tax status a seller starts with, from its kind (a tour operator is a licensed enterprise).
TAX_STATUS_OF_KIND: dict[str, str] = {
    SellerKind.COOPERATIVE: TaxStatus.COOPERATIVE,
    SellerKind.HOUSEHOLD: TaxStatus.HOUSEHOLD,
    SellerKind.ENTERPRISE: TaxStatus.ENTERPRISE,
    SellerKind.TOUR_OPERATOR: TaxStatus.ENTERPRISE,
}
# Organisations give a tax code and a business registration; households and individuals an ID or tax code.
ORGANISATION_TAX_STATUSES = frozenset({TaxStatus.COOPERATIVE, TaxStatus.ENTERPRISE})


# Allowed status changes; anything else raises InvalidTransition.
SELLER_TRANSITIONS: dict[str, set[str]] = {
    SellerStatus.PENDING: {SellerStatus.APPROVED, SellerStatus.REJECTED},
    SellerStatus.REJECTED: {SellerStatus.PENDING},  # re-application after fixing documents
    SellerStatus.APPROVED: {SellerStatus.SUSPENDED},
    SellerStatus.SUSPENDED: {SellerStatus.APPROVED},
}


class Seller(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=SellerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # Folded name ("htx nong nghiep da lat") for accent-insensitive search on any database.
    search_name = models.CharField(max_length=220, editable=False, blank=True, db_index=True)
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="sellers")
    address = models.CharField(_("street address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("e-mail"), blank=True)
    # Tax identity (Decree 117/2025): the numbers are Fernet-encrypted at rest and found through their
    # blind indexes (`backend.core.crypto`); shown masked, never logged, exported only to the tax reports.
    tax_status = models.CharField(_("tax status"), max_length=12, choices=TaxStatus.choices, blank=True)
    tax_code = EncryptedCharField(_("tax code (MST)"), max_length=14, blank=True)
    tax_code_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    personal_id = EncryptedCharField(_("personal identification number (CCCD)"), max_length=12, blank=True)
    personal_id_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    business_registration_no = models.CharField(_("business registration number"), max_length=30, blank=True)
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="sellers/logos/", blank=True)
    # Payout account: readable only by the seller's staff and admins.
    bank_bin = models.CharField(_("bank BIN"), max_length=6, blank=True)
    bank_account_no = models.CharField(_("bank account number"), max_length=30, blank=True)
    bank_account_name = models.CharField(_("bank account name"), max_length=100, blank=True)
    commission_rate_bp = models.PositiveIntegerField(
        _("commission rate (basis points)"),
        default=default_commission_bp,
        validators=[MaxValueValidator(10_000)],
        help_text=_("500 = 5 %"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SellerStatus.choices, default=SellerStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(_("reason of the last decision"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("first decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counters over the seller's products, kept by the reviews app with each review (see catalog).
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(_("sum of stars"), default=0, editable=False)
    rating_stars = models.JSONField(_("reviews by stars (1 to 5)"), default=list, blank=True, editable=False)
    rating_score = models.FloatField(_("rating score (shrunk average)"), default=0, editable=False)
    sold_12m = models.PositiveIntegerField(_("units sold over 12 months"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        indexes = [models.Index(fields=["status", "commune"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.name)[:220]
        if not self.tax_status:
            self.tax_status = TAX_STATUS_OF_KIND.get(self.kind, TaxStatus.HOUSEHOLD)
        self.tax_code_index = blind_index(self.tax_code or "", purpose="tax-code")
        self.personal_id_index = blind_index(self.personal_id or "", purpose="personal-id")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"name": "search_name", "tax_code": "tax_code_index", "personal_id": "personal_id_index"}
            kwargs["update_fields"] = {*update_fields, *(derived[f] for f in update_fields if f in derived)}
        super().save(*args, **kwargs)

    @property
    def tax_withheld(self) -> bool:
        """Does the platform withhold VAT and PIT on this seller's sales paid through it?"""
        status = self.tax_status or TAX_STATUS_OF_KIND.get(self.kind, TaxStatus.HOUSEHOLD)
        return status in WITHHELD_TAX_STATUSES

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    def transition_to(self, status: str) -> None:
        if status not in SELLER_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition()
        self.status = status
        self.status_changed_at = timezone.now()


class MembershipRole(models.TextChoices):
    OWNER = "OWNER", _("Owner")
    STAFF = "STAFF", _("Staff")


class SellerMembership(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships")
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller staff membership")
        verbose_name_plural = _("seller staff memberships")
        constraints = [models.UniqueConstraint(fields=["seller", "user"], name="membership_once_per_seller")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller} ({self.role})"


class SellerInvitation(models.Model):
    """An owner's invitation for someone to join a seller's staff, accepted by e-mail link.

    Only a SHA-256 hash of the token is stored: the token itself travels in the e-mail.
    """

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.seller}"


class MemberHousehold(models.Model):
    """A farming household belonging to a cooperative (shown to its staff and admins only)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="households")
    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("member household")
        verbose_name_plural = _("member households")

    def __str__(self) -> str:
        return self.name


class SellerDocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "BUSINESS_REGISTRATION", _("Business registration certificate")
    FOOD_SAFETY_CERTIFICATE = "FOOD_SAFETY_CERTIFICATE", _("Food safety certificate")


def _document_path(instance: SellerDocument, filename: str) -> str:
    # An unguessable name: the documents are private to the seller and the admins.
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"sellers/documents/{instance.seller_id}/{uuid.uuid4().hex}.{extension}"


class SellerDocument(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=SellerDocumentKind.choices)
    # Private: streamed only by `backend.sellers.views.document_file`, which checks who asks.
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("seller document")
        verbose_name_plural = _("seller documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.seller}"


class IdentityVerificationStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    VERIFIED = "VERIFIED", _("Verified")
    REJECTED = "REJECTED", _("Rejected")


def _identity_photo_path(instance: IdentityVerification, filename: str) -> str:
    return f"sellers/identity/{instance.seller_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1][:4] or 'jpg'}"


class IdentityVerification(models.Model):
    """One attempt to verify the identity behind a seller (E-commerce Law 122/2025: through VNeID).

    Append-only in spirit: a decision is written once; a new attempt is a new row. The claimed ID number
    and the provider's session are encrypted; the card photos are private files.
    """

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="identity_verifications")
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(_("provider"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IdentityVerificationStatus.choices,
        default=IdentityVerificationStatus.PENDING,
        db_index=True,
    )
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    claimed_full_name = models.CharField(_("full name claimed"), max_length=200)
    claimed_birth_date = models.DateField(_("date of birth claimed"), null=True, blank=True)
    claimed_id_number = EncryptedCharField(_("CCCD number claimed"), max_length=12, blank=True)
    session = EncryptedTextField(blank=True, editable=False)  # the provider's start session (PKCE verifier)
    front_photo = models.FileField(
        _("card front"), upload_to=_identity_photo_path, max_length=200, storage=private_storage, blank=True
    )
    back_photo = models.FileField(
        _("card back"), upload_to=_identity_photo_path, max_length=200, storage=private_storage, blank=True
    )
    verified_full_name = models.CharField(_("verified full name"), max_length=200, blank=True)
    verified_birth_date = models.DateField(_("verified date of birth"), null=True, blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    checks = models.JSONField(_("checks"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")
        indexes = [models.Index(fields=["status", "provider"])]

    def __str__(self) -> str:
        return f"{self.seller} ({self.provider}, {self.get_status_display()})"
