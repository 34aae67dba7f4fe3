"""Write side of sellers: applying, moderation decisions, staff, households, documents.

Every use case is one transaction that checks permissions first. Moderation
decisions are audited in the same transaction; e-mails are outbox items of it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.accounts.permissions import Act, ensure_may, place_of
from backend.accounts.phones import normalize_vn_phone
from backend.core.errors import (
    DomainError,
    ErrorDetail,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from backend.core.text import first_free_slug
from backend.legal.documents import SELLER_TERMS
from backend.legal.models import AcceptanceContext
from backend.legal.services import acceptance_record
from backend.moderation.services import audit_record
from backend.regions.models import Commune
from backend.sellers.identity import approval_problems, identity_required
from backend.sellers.models import (
    TAX_STATUS_OF_KIND,
    MemberHousehold,
    MembershipRole,
    Seller,
    SellerDocument,
    SellerDocumentKind,
    SellerInvitation,
    SellerKind,
    SellerMembership,
    SellerStatus,
    TaxStatus,
    default_commission_bp,
)
from backend.sellers.notifications import notify_seller_application, notify_seller_status, send_seller_invitation
from backend.sellers.permissions import seller_place
from backend.sellers.validators import check_document, normalize_personal_id, normalize_tax_code, slug_base

INVITATION_VALID_FOR = timedelta(days=7)
MAX_REASON_LENGTH = 2000
MAX_COMMISSION_BP = 3000  # 30 %: above it is a typo, not a business decision

REASON_REQUIRED = _("Give a reason: the seller will read it.")
# Kept in the audit log (in English, like the action codes) when the pilot setting lifted the identity rule.
PILOT_NOTE = "[identity not verified: SELLER_APPROVAL_REQUIRES_IDENTITY is off]"


# --- Applying -------------------------------------------------------------------------


def _required(value: str | None, field: str, message: str | Promise) -> tuple[str, ErrorDetail | None]:
    text = (value or "").strip()
    return text, None if text else ErrorDetail(code="REQUIRED", message=message, field=field)


def _collect(errors: list[ErrorDetail], check: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return check(*args, **kwargs)
    except DomainError as exc:
        errors.extend(exc.details)
        return ""


def _check_email(value: str, field: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(_("Enter a valid e-mail address."), field=field) from None
    return email


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the name, with -2, -3… appended when taken."""
    base = slug_base(name)
    others = Seller.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return first_free_slug(base, set(others.values_list("slug", flat=True)))


def seller_apply(
    *,
    applicant: User,
    name: str,
    kind: str,
    commune: Commune,
    phone: str,
    tax_code: str | None = None,
    description: str = "",
    address: str = "",
    email: str = "",
    tax_status: str | None = None,
    personal_id: str | None = None,
    business_registration_no: str | None = None,
) -> Seller:
    """Register a seller in PENDING status with the applicant as its owner.

    The tax status defaults to the kind's (household → withheld; cooperative, enterprise, tour operator →
    self-declared). The personal ID (CCCD) and tax code are checked for structure and stored encrypted.

    Province admins covering the commune are told by e-mail once committed.
    """
    ensure_may(actor=applicant, act=Act.SELLER_APPLY, place=place_of(commune=commune))
    errors: list[ErrorDetail] = []
    clean_name, missing = _required(name, "name", _("Enter the seller's name."))
    if missing:
        errors.append(missing)
    elif len(clean_name) > 200:
        errors.append(ErrorDetail(code="INVALID", message=_("The name is too long."), field="name"))
    if kind not in SellerKind.values:
        errors.append(ErrorDetail(code="INVALID", message=_("Choose a kind of seller."), field="kind"))
    if len((address or "").strip()) > 255:
        errors.append(ErrorDetail(code="INVALID", message=_("The address is too long."), field="address"))
    clean_phone = _collect(errors, normalize_vn_phone, phone, field="phone")
    clean_tax_code = _collect(errors, normalize_tax_code, tax_code, field="taxCode")
    clean_personal_id = _collect(errors, normalize_personal_id, personal_id, field="personalId")
    clean_tax_status = (tax_status or "").strip().upper() or TAX_STATUS_OF_KIND.get(kind, "")
    if clean_tax_status and clean_tax_status not in TaxStatus.values:
        errors.append(ErrorDetail(code="INVALID", message=_("Choose a tax status."), field="taxStatus"))
    registration = (business_registration_no or "").strip()
    if len(registration) > 30:
        errors.append(
            ErrorDetail(
                code="INVALID",
                message=_("The business registration number is too long."),
                field="businessRegistrationNo",
            )
        )
    clean_email = _collect(errors, _check_email, email, "email")
    if errors:
        raise ValidationFailed(details=errors)

    for attempt in range(3):
        try:
            with transaction.atomic():
                seller = Seller.objects.create(
                    kind=kind,
                    name=clean_name,
                    slug=unique_slug(clean_name),
                    commune=commune,
                    phone=clean_phone,
                    tax_code=clean_tax_code,
                    tax_status=clean_tax_status,
                    personal_id=clean_personal_id,
                    business_registration_no=registration,
                    description=(description or "").strip(),
                    address=(address or "").strip(),
                    email=clean_email,
                    commission_rate_bp=default_commission_bp(commune),
                    status=SellerStatus.PENDING,
                    created_by=applicant,
                )
                SellerMembership.objects.create(seller=seller, user=applicant, role=MembershipRole.OWNER)
                acceptance_record(
                    user=applicant,
                    context=AcceptanceContext.SELLER_APPLICATION,
                    documents=SELLER_TERMS,
                    seller_id=seller.pk,
                )
                audit_record(actor=applicant, action="seller.apply", target=seller, status_after=SellerStatus.PENDING)
                notify_seller_application(seller_id=seller.pk)
                return seller
        except IntegrityError:
            # Another application took the same slug between our check and insert.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- Moderation -------------------------------------------------------------------------


def _reason(value: str | None, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(REASON_REQUIRED, code="REQUIRED", field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationFailed(_("Keep the reason under 2000 characters."), field="reason")
    return text


def _decide(*, seller: Seller, actor: Any, source: str, status: str, action: str, reason: str) -> Seller:
    # Lock the row: two admins deciding at once are serialised, the second sees the new status.
    locked = Seller.objects.select_for_update().select_related("commune__province").get(pk=seller.pk)
    before = locked.status
    if before != source:  # e.g. "reinstate" a PENDING seller: allowed by the table, but not this act
        raise InvalidTransition()
    locked.transition_to(status)  # raises InvalidTransition; nothing is written
    locked.status_reason = reason
    if locked.decided_at is None:
        locked.decided_at = locked.status_changed_at
    locked.save(update_fields=["status", "status_changed_at", "status_reason", "decided_at", "updated_at"])
    audit_record(actor=actor, action=action, target=locked, reason=reason, status_before=before, status_after=status)
    notify_seller_status(seller_id=locked.pk, action=action)
    return locked


@transaction.atomic
def seller_approve(*, seller: Seller, actor: Any, note: str = "") -> Seller:
    """PENDING → APPROVED: its published products become visible."""
    # Inside: sellers sits below checkout (KNOWN_UPWARD in tests/test_architecture.py).
    from backend.checkout.delivery import ensure_default_methods

    ensure_may(actor=actor, act=Act.SELLER_APPROVE, place=seller_place(seller))
    current = Seller.objects.get(pk=seller.pk)
    if current.status == SellerStatus.PENDING:  # other states answer INVALID_TRANSITION below
        problems = approval_problems(current)
        if problems:
            raise ValidationFailed(details=problems)
    reason = _reason(note, required=False)
    if current.identity_verified_at is None and not identity_required():
        reason = f"{PILOT_NOTE} {reason}".strip()
    approved = _decide(
        seller=seller,
        actor=actor,
        source=SellerStatus.PENDING,
        status=SellerStatus.APPROVED,
        action="seller.approve",
        reason=reason,
    )
    ensure_default_methods(seller=approved)
    return approved


@transaction.atomic
def seller_reject(*, seller: Seller, actor: Any, reason: str) -> Seller:
    """PENDING → REJECTED, with a reason the applicant reads."""
    ensure_may(actor=actor, act=Act.SELLER_REJECT, place=seller_place(seller))
    return _decide(
        seller=seller,
        actor=actor,
        source=SellerStatus.PENDING,
        status=SellerStatus.REJECTED,
        action="seller.reject",
        reason=_reason(reason, required=True),
    )


@transaction.atomic
def seller_suspend(*, seller: Seller, actor: Any, reason: str) -> Seller:
    """APPROVED → SUSPENDED: all its listings disappear at once and it takes no new orders.

    Listings are hidden by the catalog selectors reading the seller's status;
    no product is changed or deleted, so reinstating restores them as they were.
    """
    ensure_may(actor=actor, act=Act.SELLER_SUSPEND, place=seller_place(seller))
    return _decide(
        seller=seller,
        actor=actor,
        source=SellerStatus.APPROVED,
        status=SellerStatus.SUSPENDED,
        action="seller.suspend",
        reason=_reason(reason, required=True),
    )


@transaction.atomic
def seller_reinstate(*, seller: Seller, actor: Any, note: str = "") -> Seller:
    """SUSPENDED → APPROVED."""
    ensure_may(actor=actor, act=Act.SELLER_REINSTATE, place=seller_place(seller))
    return _decide(
        seller=seller,
        actor=actor,
        source=SellerStatus.SUSPENDED,
        status=SellerStatus.APPROVED,
        action="seller.reinstate",
        reason=_reason(note, required=False),
    )


# --- Staff ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def seller_staff_invite(*, seller: Seller, actor: Any, email: str) -> SellerInvitation:
    """The owner invites someone by e-mail; the code is mailed once committed."""
    ensure_may(actor=actor, act=Act.SELLER_STAFF_INVITE, place=seller_place(seller))
    clean_email = _check_email(email, "email")
    if not clean_email:
        raise ValidationFailed(_("Enter an e-mail address."), code="REQUIRED", field="email")
    if SellerMembership.objects.filter(seller=seller, user__email__iexact=clean_email).exists():
        raise ValidationFailed(_("This person is already on the staff."), code="UNIQUE", field="email")
    token = secrets.token_urlsafe(32)
    invitation = SellerInvitation.objects.create(
        seller=seller,
        email=clean_email,
        role=MembershipRole.STAFF,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    send_seller_invitation(invitation_id=invitation.pk, token=token)
    return invitation


@transaction.atomic
def seller_invitation_accept(*, token: str, user: Any) -> SellerMembership:
    """The signed-in invitee joins the staff; the invitation's e-mail must be theirs."""
    invitation = (
        SellerInvitation.objects.select_for_update()
        .select_related("seller")
        .filter(token_hash=_token_hash((token or "").strip()))
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation does not exist."), field="token")
    if invitation.email.lower() != (getattr(user, "email", "") or "").lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    if invitation.accepted_at is not None:
        raise ValidationFailed(_("This invitation has already been used."), field="token")
    if invitation.expires_at <= timezone.now():
        raise ValidationFailed(_("This invitation has expired: ask the owner for a new one."), field="token")
    membership, _created = SellerMembership.objects.get_or_create(
        seller=invitation.seller, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# --- Cooperative households and documents ----------------------------------------------


@transaction.atomic
def seller_household_add(
    *, seller: Seller, actor: Any, name: str, commune: Commune, phone: str = ""
) -> MemberHousehold:
    """A cooperative's staff list one of its member households."""
    ensure_may(actor=actor, act=Act.SELLER_HOUSEHOLD_ADD, place=seller_place(seller))
    if seller.kind != SellerKind.COOPERATIVE:
        raise ValidationFailed(_("Only cooperatives list member households."), field="seller")
    clean_name, missing = _required(name, "name", _("Enter the household's name."))
    if missing:
        raise ValidationFailed(details=[missing])
    clean_phone = normalize_vn_phone(phone, field="phone") if (phone or "").strip() else ""
    return MemberHousehold.objects.create(seller=seller, name=clean_name[:200], commune=commune, phone=clean_phone)


def _document_kind(value: str) -> str:
    kind = (value or "").strip().upper().replace("-", "_").replace(" ", "_")
    if kind not in SellerDocumentKind.values:
        raise ValidationFailed(
            _("Choose the kind of document: BUSINESS_REGISTRATION or FOOD_SAFETY_CERTIFICATE."), field="kind"
        )
    return kind


@transaction.atomic
def seller_document_upload(*, seller: Seller, actor: Any, kind: str, file: Any) -> SellerDocument:
    """The owner attaches a business registration or food-safety certificate (PDF/JPEG/PNG ≤ 10 MB)."""
    ensure_may(actor=actor, act=Act.SELLER_DOCUMENT_UPLOAD, place=seller_place(seller))
    clean_kind = _document_kind(kind)
    content_type = check_document(file)
    document = SellerDocument(
        seller=seller,
        kind=clean_kind,
        original_name=str(getattr(file, "name", "") or "")[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    document.file.save("document", file, save=False)
    document.save()
    return document


@transaction.atomic
def seller_commission_set(*, seller: Seller, actor: Any, rate_bp: int, reason: str) -> Seller:
    """Change the platform's commission on the seller's future orders (platform staff).

    Orders already placed keep the rate they were placed at; the change is audited with its reason.
    """
    ensure_may(actor=actor, act=Act.SELLER_COMMISSION_SET, place=seller_place(seller))
    text = (reason or "").strip()
    errors: list[ErrorDetail] = []
    if not text:
        errors.append(ErrorDetail(code="REQUIRED", message=_("Give a reason."), field="reason"))
    elif len(text) > MAX_REASON_LENGTH:
        errors.append(ErrorDetail(code="INVALID", message=_("The reason is too long."), field="reason"))
    if not isinstance(rate_bp, int) or not 0 <= rate_bp <= MAX_COMMISSION_BP:
        errors.append(
            ErrorDetail(
                code="INVALID",
                message=_("The commission is between 0 and %(max)s basis points.") % {"max": MAX_COMMISSION_BP},
                field="rateBp",
            )
        )
    if errors:
        raise ValidationFailed(details=errors)
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    before = locked.commission_rate_bp
    locked.commission_rate_bp = rate_bp
    locked.save(update_fields=["commission_rate_bp", "updated_at"])
    audit_record(actor=actor, action="seller.commission", target=locked, reason=f"{before} → {rate_bp} bp: {text}")
    return locked


def seller_import_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    commune: Commune,
    phone: str,
    tax_code: str,
    address: str,
    email: str,
) -> Seller:
    """A legacy seller from a province import (`backend.reports.imports`, which checks the
    importer's PROVINCE_IMPORT for the row's commune and validates the row): created PENDING, for
    review like any application, and audited."""
    seller = Seller.objects.create(
        kind=kind,
        name=name,
        slug=unique_slug(name),
        commune=commune,
        phone=phone,
        tax_code=tax_code,
        address=address,
        email=email,
        commission_rate_bp=default_commission_bp(commune),
        status=SellerStatus.PENDING,
        created_by=actor,
    )
    audit_record(actor=actor, action="seller.import", target=seller, status_after=SellerStatus.PENDING)
    return seller
