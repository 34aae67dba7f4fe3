"""Commune helper use cases: a province officer appoints (and removes) a helper for some communes; the
helper registers a household as a seller with the household's consent (a code sent to the household's
own phone); the seller's owner revokes the helper. What a helper may then do for the seller is in the
permission table (`Role.COMMUNE_HELPER`); every such act is recorded by the permission check."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts import otp
from backend.accounts.models import CodePurpose, User
from backend.accounts.permissions import Act, ensure_may, place_of
from backend.accounts.phone_auth import user_by_verified_phone
from backend.accounts.phones import normalize_vn_phone
from backend.core.errors import NotFound, ValidationFailed
from backend.helpers.models import HelperAct, HelperAppointment, HelperGrant
from backend.regions.models import Commune
from backend.sellers.models import Seller, SellerKind
from backend.sellers.permissions import seller_place
from backend.sellers.services import seller_apply


def helper_candidate(*, actor: User, who: str, communes: Sequence[Commune]) -> User | None:
    """The account an officer names by its verified phone or its e-mail (after the permission check,
    so nobody else can use this to look accounts up)."""
    for commune in communes:
        ensure_may(actor=actor, act=Act.HELPER_APPOINT, place=place_of(commune=commune))
    text = (who or "").strip()
    if "@" in text:
        return User.objects.filter(email__iexact=text, is_active=True).first()
    try:
        return user_by_verified_phone(phone=normalize_vn_phone(text, field="helper"))
    except ValidationFailed:
        return None


@transaction.atomic
def helper_appoint(*, actor: User, user: User, communes: Sequence[Commune]) -> HelperAppointment:
    """Make `user` a helper for `communes` (one province; the officer must cover each of them)."""
    if not communes:
        raise ValidationFailed(_("Choose at least one commune."), code="REQUIRED", field="communes")
    provinces = {c.province_id for c in communes}
    if len(provinces) != 1:
        raise ValidationFailed(_("The communes must be in one province."), field="communes")
    for commune in communes:
        ensure_may(actor=actor, act=Act.HELPER_APPOINT, place=place_of(commune=commune))
    appointment, _created = HelperAppointment.objects.update_or_create(
        user=user, defaults={"province_id": provinces.pop(), "appointed_by": actor, "revoked_at": None}
    )
    appointment.communes.set(communes)
    return appointment


@transaction.atomic
def helper_dismiss(*, actor: User, appointment: HelperAppointment) -> HelperAppointment:
    for commune in appointment.communes.all():
        ensure_may(actor=actor, act=Act.HELPER_APPOINT, place=place_of(commune=commune))
    appointment.revoked_at = timezone.now()
    appointment.save(update_fields=["revoked_at"])
    return appointment


def household_consent_request(*, helper: User, commune: Commune, phone: str, ip: str | None) -> otp.CodeRequest:
    """Send the household a code on its own phone: reading it back to the helper is its consent."""
    ensure_may(actor=helper, act=Act.HELPER_HOUSEHOLD_REGISTER, place=place_of(commune=commune))
    return otp.request_code(phone=phone, purpose=CodePurpose.HELPER_CONSENT, ip=ip)


@transaction.atomic
def household_register(
    *, helper: User, commune: Commune, name: str, phone: str, code: str, ip: str | None, description: str = ""
) -> Seller:
    """Register a household seller (PENDING, for the province to approve) owned by the household's own
    phone account (made when it has none: the code proves the phone), and grant the helper."""
    ensure_may(actor=helper, act=Act.HELPER_HOUSEHOLD_REGISTER, place=place_of(commune=commune))
    e164 = otp.check_code(phone=phone, purpose=CodePurpose.HELPER_CONSENT, code=code, ip=ip)
    household = user_by_verified_phone(phone=e164)
    if household is None:
        household = User(phone=e164, phone_verified=True, full_name=(name or "").strip()[:150])
        household.set_unusable_password()
        household.save(force_insert=True)
    seller = seller_apply(
        applicant=household, name=name, kind=SellerKind.HOUSEHOLD, commune=commune, phone=e164, description=description
    )
    HelperGrant.objects.create(
        helper=helper, seller=seller, consent_phone=e164, consent_at=timezone.now(), onboarded=True
    )
    HelperAct.objects.create(helper=helper, seller=seller, act=str(Act.HELPER_HOUSEHOLD_REGISTER))
    return seller


@transaction.atomic
def helper_revoke(*, actor: User, seller: Seller, helper: User) -> HelperGrant:
    """The seller's owner ends a helper's access at once."""
    ensure_may(actor=actor, act=Act.SELLER_HELPER_REVOKE, place=seller_place(seller))
    grant = (
        HelperGrant.objects.select_for_update().filter(seller=seller, helper=helper, revoked_at__isnull=True).first()
    )
    if grant is None:
        raise NotFound(_("This helper does not act for this seller."), field="helper")
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant
