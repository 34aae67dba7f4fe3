"""Write side of checkout: lines (with stock holds), shipping address and delivery choice.

Quantities are checked against stock − live holds of other checkouts, with the variant rows locked
in id order so two buyers adding the last units are serialised. Prices are never taken from the
client: the summary reprices every line from the catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.phones import normalize_vn_phone
from backend.catalog.models import ProductKind, ProductVariant
from backend.checkout.models import Checkout, CheckoutLine, DeliveryKind, DeliveryMethod
from backend.checkout.reservations import held_quantities, hold_until
from backend.checkout.selectors import summarize
from backend.core.errors import DomainError, ErrorDetail, NotFound, ValidationFailed
from backend.experiences.bookings import SlotFull, lock_slots, slot_full, slot_unavailable
from backend.experiences.selectors import held_places
from backend.regions.models import Commune
from backend.regions.services import convert_legacy_address
from backend.sellers.models import SellerStatus

MAX_LINE_QUANTITY = 999
MAX_LINES = 100


class InsufficientStock(DomainError):
    default_code = "INSUFFICIENT_STOCK"
    default_message = _("Not enough stock.")


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class ParticipantCount:
    participant_type: str
    quantity: int


@dataclass(frozen=True)
class LegacyAddress:
    ward: str
    district: str
    province: str


@dataclass(frozen=True)
class AddressData:
    full_name: str
    phone: str
    street: str
    commune_id: int | None = None
    legacy: LegacyAddress | None = None


def _ensure_open(checkout: Checkout) -> None:
    if checkout.completed_at is not None:
        raise ValidationFailed(_("This checkout has already been completed."), code="INVALID", field="id")


def _merge_inputs(lines: Sequence[LineInput]) -> dict[int, int]:
    """Quantities per variant (a variant given twice adds up); all quantity errors at once."""
    errors: list[ErrorDetail] = []
    merged: dict[int, int] = {}
    for index, item in enumerate(lines):
        if item.quantity < 0 or item.quantity > MAX_LINE_QUANTITY:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"lines.{index}.quantity",
                    message=_("Enter a quantity between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
                )
            )
            continue
        merged[item.variant_id] = merged.get(item.variant_id, 0) + item.quantity
    if errors:
        raise ValidationFailed(details=errors)
    return merged


def _lock_variants(variant_ids: Sequence[int]) -> dict[int, ProductVariant]:
    """Lock the variants' rows in id order (no deadlocks between two carts) and load them."""
    ids = sorted(set(variant_ids))
    rows = ProductVariant.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {variant.pk: variant for variant in rows}


def _check_sellable(variants: dict[int, ProductVariant], wanted: dict[int, int]) -> None:
    """Every wanted variant exists, is on sale, is goods; raise all problems together."""
    sellable = set(
        ProductVariant.objects.filter(
            pk__in=list(wanted),
            product__kind=ProductKind.GOODS,
            product__is_published=True,
            product__hidden_at__isnull=True,
            product__seller__status=SellerStatus.APPROVED,
        ).values_list("pk", flat=True)
    )
    errors = [
        ErrorDetail(code="NOT_FOUND", field="lines", message=_("This product is not on sale."))
        for variant_id in wanted
        if variant_id not in variants or variant_id not in sellable
    ]
    if errors:
        raise NotFound(details=errors[:1])


def stock_shortage(variant: ProductVariant, available: int) -> ErrorDetail:
    """The INSUFFICIENT_STOCK error for one variant (adding to a cart and completing it)."""
    return ErrorDetail(
        code="INSUFFICIENT_STOCK",
        field="lines",
        message=_("Only %(available)s of “%(name)s” left.") % {"available": max(available, 0), "name": variant.name},
    )


def _check_availability(*, checkout: Checkout, variants: dict[int, ProductVariant], wanted: dict[int, int]) -> None:
    held = held_quantities(wanted, exclude_checkout_id=checkout.pk)
    errors: list[ErrorDetail] = []
    for variant_id, quantity in wanted.items():
        variant = variants[variant_id]
        available = max(variant.stock - held.get(variant_id, 0), 0)
        if quantity > available:
            errors.append(stock_shortage(variant, available))
    if errors:
        raise InsufficientStock(details=errors)


def _set_quantities(*, checkout: Checkout, wanted: dict[int, int]) -> None:
    """Make each variant's line hold exactly `wanted[variant]` units (0 deletes the line)."""
    existing = {line.variant_id: line for line in checkout.lines.filter(variant_id__in=list(wanted))}
    to_check = {vid: qty for vid, qty in wanted.items() if qty > 0}
    variants = _lock_variants(list(to_check))
    if to_check:
        _check_sellable(variants, to_check)
        _check_availability(checkout=checkout, variants=variants, wanted=to_check)
    if len(set(checkout.lines.values_list("variant_id", flat=True)) | set(to_check)) > MAX_LINES:
        raise ValidationFailed(_("A cart holds at most %(max)s products.") % {"max": MAX_LINES}, field="lines")
    until = hold_until()
    for variant_id, quantity in wanted.items():
        line = existing.get(variant_id)
        if quantity == 0:
            if line is not None:
                line.delete()
        elif line is None:
            CheckoutLine.objects.create(
                checkout=checkout, variant_id=variant_id, quantity=quantity, reserved_until=until
            )
        else:
            line.quantity = quantity
            line.reserved_until = until
            line.save(update_fields=["quantity", "reserved_until"])
    # Every remaining line's hold is renewed: the buyer is active.
    checkout.lines.exclude(variant_id__in=list(wanted)).update(reserved_until=until)
    _prune_delivery_choices(checkout)
    checkout.save(update_fields=["delivery_choices", "updated_at"])


def _prune_delivery_choices(checkout: Checkout) -> None:
    sellers = {
        str(s) for s in checkout.lines.filter(variant__isnull=False).values_list("variant__seller_id", flat=True)
    }
    checkout.delivery_choices = {k: v for k, v in (checkout.delivery_choices or {}).items() if k in sellers}


def _locked(checkout: Checkout) -> Checkout:
    """Lock the checkout's row and reload the caller's instance from it (so it stays current)."""
    checkout.refresh_from_db(from_queryset=Checkout.objects.select_for_update())
    _ensure_open(checkout)
    return checkout


def checkout_create(*, user: Any, lines: Sequence[LineInput], email: str | None = None) -> Checkout:
    """A new checkout (anonymous unless signed in) holding `lines`."""
    wanted = _merge_inputs(lines)
    contact = (email or "").strip() or (getattr(user, "email", "") if getattr(user, "is_authenticated", False) else "")
    if contact:
        try:
            validate_email(contact)
        except ValidationError as exc:
            raise ValidationFailed(_("Enter a valid e-mail address."), field="email") from exc
    with transaction.atomic():
        checkout = Checkout.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None, email=contact
        )
        if wanted:
            _set_quantities(checkout=checkout, wanted={vid: q for vid, q in wanted.items() if q > 0})
    return checkout


@transaction.atomic
def checkout_lines_add(*, checkout: Checkout, lines: Sequence[LineInput]) -> Checkout:
    """Add quantities to the checkout (a variant already there gets more)."""
    checkout = _locked(checkout)
    adding = _merge_inputs(lines)
    current = dict(checkout.lines.filter(variant_id__in=list(adding)).values_list("variant_id", "quantity"))
    wanted = {vid: current.get(vid, 0) + qty for vid, qty in adding.items() if qty > 0}
    _set_quantities(checkout=checkout, wanted=wanted)
    return checkout


@transaction.atomic
def checkout_lines_update(*, checkout: Checkout, lines: Sequence[LineInput]) -> Checkout:
    """Set the quantity of each given variant (0 removes it)."""
    checkout = _locked(checkout)
    _set_quantities(checkout=checkout, wanted=_merge_inputs(lines))
    return checkout


@transaction.atomic
def checkout_line_delete(*, checkout: Checkout, line_id: int) -> Checkout:
    checkout = _locked(checkout)
    deleted, _rows = checkout.lines.filter(pk=line_id).delete()
    if not deleted:
        raise NotFound(_("This line is not in the checkout."), field="lineId")
    _prune_delivery_choices(checkout)
    checkout.save(update_fields=["delivery_choices", "updated_at"])
    return checkout


def _resolve_commune(address: AddressData) -> Commune:
    if address.legacy is not None:
        legacy = address.legacy
        result = convert_legacy_address(ward=legacy.ward, district=legacy.district, province=legacy.province)
        if result.commune is None:
            details = [
                ErrorDetail(code=e.code, message=e.message, field=f"address.legacy.{e.field or 'ward'}")
                for e in result.errors
            ]
            raise ValidationFailed(details=details)
        return result.commune
    if address.commune_id is None:
        raise ValidationFailed(_("Choose a commune."), code="REQUIRED", field="address.commune")
    commune = Commune.objects.select_related("province").filter(pk=address.commune_id).first()
    if commune is None:
        raise NotFound(_("This commune does not exist."), field="address.commune")
    return commune


@transaction.atomic
def checkout_shipping_address_update(*, checkout: Checkout, address: AddressData) -> Checkout:
    """Set the shipping address (post-2025 commune; a legacy address is converted first).
    Delivery choices the new commune cannot reach are dropped."""
    checkout = _locked(checkout)
    errors: list[ErrorDetail] = []
    full_name = " ".join((address.full_name or "").split())
    street = " ".join((address.street or "").split())
    if not full_name:
        errors.append(ErrorDetail(code="REQUIRED", field="address.fullName", message=_("Enter the receiver's name.")))
    elif len(full_name) > 120:
        errors.append(ErrorDetail(code="INVALID", field="address.fullName", message=_("The name is too long.")))
    if not street:
        errors.append(ErrorDetail(code="REQUIRED", field="address.street", message=_("Enter the street address.")))
    elif len(street) > 255:
        errors.append(ErrorDetail(code="INVALID", field="address.street", message=_("The street address is too long.")))
    phone = ""
    try:
        phone = normalize_vn_phone(address.phone, field="address.phone")
    except ValidationFailed as exc:
        errors.extend(exc.details)
    commune: Commune | None = None
    try:
        commune = _resolve_commune(address)
    except DomainError as exc:
        errors.extend(exc.details)
    if errors:
        raise ValidationFailed(details=errors)
    assert commune is not None
    checkout.full_name, checkout.street, checkout.phone, checkout.commune = full_name, street, phone, commune
    _drop_unreachable_choices(checkout)
    checkout.save(update_fields=["full_name", "street", "phone", "commune", "delivery_choices", "updated_at"])
    return checkout


def _drop_unreachable_choices(checkout: Checkout) -> None:
    summary = summarize(checkout)
    kept = {}
    for group in summary.groups:
        chosen = (checkout.delivery_choices or {}).get(str(group.seller.pk))
        if chosen is not None and any(m.method.pk == chosen for m in group.methods):
            kept[str(group.seller.pk)] = chosen
    checkout.delivery_choices = kept


@transaction.atomic
def checkout_delivery_method_update(*, checkout: Checkout, seller_id: int, method_id: int) -> Checkout:
    """Choose how one seller's part of the cart is delivered."""
    checkout = _locked(checkout)
    group = next((g for g in summarize(checkout).groups if g.seller.pk == seller_id), None)
    if group is None:
        raise NotFound(_("This seller has nothing in the checkout."), field="seller")
    if not any(offered.method.pk == method_id for offered in group.methods):
        if not DeliveryMethod.objects.filter(pk=method_id, seller_id=seller_id, is_active=True).exists():
            raise NotFound(_("This delivery method is not offered by the seller."), field="method")
        raise ValidationFailed(_("This delivery method does not reach your commune."), field="method")
    choices = dict(checkout.delivery_choices or {})
    choices[str(seller_id)] = method_id
    checkout.delivery_choices = choices
    checkout.save(update_fields=["delivery_choices", "updated_at"])
    return checkout


@transaction.atomic
def checkout_delivery_preselect(*, checkout: Checkout) -> Checkout:
    """Give every seller group without a reachable choice its cheapest method, so the buyer sees the
    whole price from the start. Methods that bring the goods (own delivery, carrier) come first;
    pickup is chosen only when nothing else reaches. A buyer's own choice is never replaced."""
    checkout = _locked(checkout)
    choices = dict(checkout.delivery_choices or {})
    for group in summarize(checkout).groups:
        if group.selected is not None or not group.methods:
            continue
        cheapest = min(group.methods, key=lambda m: (m.method.kind == DeliveryKind.PICKUP, m.price, m.method.position))
        choices[str(group.seller.pk)] = cheapest.method.pk
    if choices != (checkout.delivery_choices or {}):
        checkout.delivery_choices = choices
        checkout.save(update_fields=["delivery_choices", "updated_at"])
    return checkout


def _merge_participants(participants: Sequence[ParticipantCount]) -> dict[str, int]:
    errors: list[ErrorDetail] = []
    merged: dict[str, int] = {}
    for index, item in enumerate(participants):
        code = (item.participant_type or "").strip().lower()
        if item.quantity < 0 or item.quantity > settings.BOOKING_MAX_PARTICIPANTS:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"participants.{index}.quantity",
                    message=_("Enter a number of people between 0 and %(max)s.")
                    % {"max": settings.BOOKING_MAX_PARTICIPANTS},
                )
            )
            continue
        merged[code] = merged.get(code, 0) + item.quantity
    if errors:
        raise ValidationFailed(details=errors)
    return {code: n for code, n in merged.items() if n > 0}


@transaction.atomic
def checkout_booking_add(*, checkout: Checkout, slot_id: int, participants: Sequence[ParticipantCount]) -> Checkout:
    """Hold places in an experience slot for the checkout's reservation time (the same hold as
    stock). Adding the same slot again adds people. Remaining = capacity − booked − live holds of
    other checkouts, counted with the slot's row locked, so the last places go to one buyer only."""
    checkout = _locked(checkout)
    adding = _merge_participants(participants)
    if not adding:
        raise ValidationFailed(_("Book at least one person."), code="REQUIRED", field="participants")
    slot = lock_slots([slot_id]).get(slot_id)
    problem = slot_unavailable(slot, now=timezone.now())
    if slot is None:
        raise NotFound(problem, field="slot")
    if problem is not None:
        raise ValidationFailed(problem, field="slot")
    known = set(slot.experience.participant_types.values_list("code", flat=True))
    unknown = [code for code in adding if code not in known]
    if unknown:
        raise ValidationFailed(
            _("Unknown participant type “%(code)s”; this experience has: %(known)s.")
            % {"code": unknown[0], "known": ", ".join(sorted(known))},
            field="participants",
        )
    line = checkout.lines.filter(slot_id=slot.pk).first()
    wanted = dict(line.participants) if line is not None else {}
    for code, count in adding.items():
        wanted[code] = int(wanted.get(code, 0)) + count
    total = sum(wanted.values())
    if total > settings.BOOKING_MAX_PARTICIPANTS:
        raise ValidationFailed(
            _("At most %(max)s people in one booking.") % {"max": settings.BOOKING_MAX_PARTICIPANTS},
            field="participants",
        )
    free = slot.capacity - slot.booked - held_places([slot.pk], exclude_checkout_id=checkout.pk).get(slot.pk, 0)
    if total > free:
        raise SlotFull(details=[slot_full(slot, max(free, 0))])
    if checkout.lines.exclude(slot_id=slot.pk).count() >= MAX_LINES:
        raise ValidationFailed(_("A cart holds at most %(max)s products.") % {"max": MAX_LINES}, field="lines")
    until = hold_until()
    if line is None:
        CheckoutLine.objects.create(
            checkout=checkout, slot=slot, participants=wanted, quantity=total, reserved_until=until
        )
    else:
        line.participants, line.quantity, line.reserved_until = wanted, total, until
        line.save(update_fields=["participants", "quantity", "reserved_until"])
    checkout.lines.update(reserved_until=until)
    checkout.save(update_fields=["updated_at"])
    return checkout


@transaction.atomic
def checkout_contact_update(*, checkout: Checkout, full_name: str, phone: str, email: str | None = None) -> Checkout:
    """Who the bookings are for (enough for a checkout of bookings only, which needs no address)."""
    checkout = _locked(checkout)
    errors: list[ErrorDetail] = []
    name = " ".join((full_name or "").split())
    if not name:
        errors.append(ErrorDetail(code="REQUIRED", field="fullName", message=_("Enter the receiver's name.")))
    elif len(name) > 120:
        errors.append(ErrorDetail(code="INVALID", field="fullName", message=_("The name is too long.")))
    normalized = ""
    try:
        normalized = normalize_vn_phone(phone, field="phone")
    except ValidationFailed as exc:
        errors.extend(exc.details)
    contact = (email or "").strip()
    if contact:
        try:
            validate_email(contact)
        except ValidationError:
            errors.append(ErrorDetail(code="INVALID", field="email", message=_("Enter a valid e-mail address.")))
    if errors:
        raise ValidationFailed(details=errors)
    checkout.full_name, checkout.phone = name, normalized
    fields = ["full_name", "phone", "updated_at"]
    if contact:
        checkout.email = contact
        fields.append("email")
    checkout.save(update_fields=fields)
    return checkout
