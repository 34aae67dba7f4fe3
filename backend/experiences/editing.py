"""Setting up an experience (the operator's part): details, meeting point, participant types and
prices, cancellation policy, and the price range the catalog shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog.models import Product, ProductKind
from backend.core.errors import (
    ErrorDetail,
    ValidationFailed,
)
from backend.experiences import policy as policies
from backend.experiences.models import (
    Experience,
    ParticipantType,
    Slot,
    SlotStatus,
)
from backend.moderation.services import audit_record
from backend.regions.models import Commune
from backend.sellers.permissions import seller_place

MAX_PARTICIPANT_TYPES = 8
LANGUAGES = {"vi", "en", "fr", "de", "zh", "ja", "ko", "ru", "k'ho", "ma", "cham"}


@dataclass(frozen=True)
class ParticipantTypeData:
    code: str
    name: str
    price: int


@dataclass(frozen=True)
class ExperienceData:
    duration_minutes: int | None = None
    meeting_point: str | None = None
    meeting_commune_id: int | None = None
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    languages: Sequence[str] | None = None
    included: str | None = None
    min_age: int | None = None
    capacity: int | None = None
    booking_cutoff_minutes: int | None = None
    cancellation_policy: list[dict[str, int]] | None = None
    participant_types: Sequence[ParticipantTypeData] | None = None
    unset: frozenset[str] = field(default_factory=frozenset)


def _experience_product(product: Product, actor: Any) -> Product:
    ensure_may(actor=actor, act=Act.EXPERIENCE_EDIT, place=seller_place(product.seller_id))
    if product.kind != ProductKind.EXPERIENCE:
        raise ValidationFailed(_("Only an experience has slots and participant prices."), field="product")
    return product


def experience_of(product: Product) -> Experience:
    experience, _created = Experience.objects.get_or_create(product=product)
    return experience


def _coordinate(value: Any, *, limit: int, name: str, errors: list[ErrorDetail]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        number = Decimal(1000)
    if abs(number) > limit:
        errors.append(ErrorDetail(code="INVALID", field=name, message=_("This is not a valid coordinate.")))
        return None
    return number


def _clean_participant_types(
    items: Sequence[ParticipantTypeData], errors: list[ErrorDetail]
) -> list[ParticipantTypeData]:
    if not items:
        errors.append(
            ErrorDetail(
                code="REQUIRED", field="participantTypes", message=_("Give at least one participant type with a price.")
            )
        )
        return []
    if len(items) > MAX_PARTICIPANT_TYPES:
        errors.append(
            ErrorDetail(
                code="INVALID",
                field="participantTypes",
                message=_("At most %(max)s participant types.") % {"max": MAX_PARTICIPANT_TYPES},
            )
        )
        return []
    seen: set[str] = set()
    cleaned = []
    for index, item in enumerate(items):
        code = (item.code or "").strip().lower()
        name = " ".join((item.name or "").split())
        if not code or not code.replace("-", "").replace("_", "").isalnum() or len(code) > 30:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"participantTypes.{index}.code",
                    message=_('Use a short code of letters, e.g. "adult" or "child".'),
                )
            )
        elif code in seen:
            errors.append(
                ErrorDetail(
                    code="UNIQUE", field=f"participantTypes.{index}.code", message=_("This code is used twice.")
                )
            )
        if not name or len(name) > 60:
            errors.append(
                ErrorDetail(
                    code="REQUIRED", field=f"participantTypes.{index}.name", message=_("Name the participant type.")
                )
            )
        if not isinstance(item.price, int) or item.price < 0 or item.price > 1_000_000_000:
            errors.append(
                ErrorDetail(
                    code="INVALID",
                    field=f"participantTypes.{index}.price",
                    message=_("The price is whole đồng, from 0 to 1,000,000,000."),
                )
            )
        seen.add(code)
        cleaned.append(ParticipantTypeData(code=code, name=name, price=item.price))
    return cleaned


def bounded(value: int | None, *, low: int, high: int, name: str, errors: list[ErrorDetail]) -> int | None:
    if value is None:
        return None
    if not low <= value <= high:
        errors.append(
            ErrorDetail(
                code="INVALID",
                field=name,
                message=_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high},
            )
        )
        return None
    return value


@transaction.atomic
def experience_update(*, product: Product, actor: Any, data: ExperienceData) -> Experience:
    """Set an experience's details, participant prices and cancellation policy (given fields only).
    All problems are reported together; nothing is saved unless everything is valid."""
    product = _experience_product(product, actor)
    Product.objects.select_for_update().filter(pk=product.pk).first()
    experience = experience_of(product)
    errors: list[ErrorDetail] = []
    changes: dict[str, Any] = {}
    for name, low, high, attr in (
        ("durationMinutes", 15, 60 * 24 * 14, "duration_minutes"),
        ("minAge", 0, 99, "min_age"),
        ("capacity", 1, 10000, "capacity"),
        ("bookingCutoffMinutes", 0, 60 * 24 * 7, "booking_cutoff_minutes"),
    ):
        value = bounded(getattr(data, attr), low=low, high=high, name=name, errors=errors)
        if value is not None:
            changes[attr] = value
    if data.meeting_point is not None:
        text = " ".join(data.meeting_point.split())
        if len(text) > 255:
            errors.append(
                ErrorDetail(code="INVALID", field="meetingPoint", message=_("The meeting point is too long."))
            )
        changes["meeting_point"] = text
    if data.meeting_commune_id is not None:
        commune = Commune.objects.filter(pk=data.meeting_commune_id).first()
        if commune is None:
            errors.append(
                ErrorDetail(code="NOT_FOUND", field="meetingCommune", message=_("This commune does not exist."))
            )
        changes["meeting_commune"] = commune
    if data.latitude is not None or "latitude" in data.unset:
        changes["latitude"] = _coordinate(data.latitude, limit=90, name="latitude", errors=errors)
    if data.longitude is not None or "longitude" in data.unset:
        changes["longitude"] = _coordinate(data.longitude, limit=180, name="longitude", errors=errors)
    if data.languages is not None:
        languages = [str(code).strip().lower() for code in data.languages if str(code).strip()]
        if len(languages) > 10 or any(len(code) > 10 for code in languages):
            errors.append(
                ErrorDetail(code="INVALID", field="languages", message=_("Give language codes such as vi, en."))
            )
        changes["languages"] = list(dict.fromkeys(languages))
    if data.included is not None:
        changes["included"] = data.included.strip()[:4000]
    if data.cancellation_policy is not None:
        try:
            changes["cancellation_policy"] = policies.clean_policy(data.cancellation_policy)
        except ValidationFailed as exc:
            errors.extend(exc.details)
    types = None
    if data.participant_types is not None:
        types = _clean_participant_types(data.participant_types, errors)
    elif not experience.participant_types.exists():
        errors.append(
            ErrorDetail(
                code="REQUIRED", field="participantTypes", message=_("Give at least one participant type with a price.")
            )
        )
    if errors:
        raise ValidationFailed(details=errors)
    for attr, value in changes.items():
        setattr(experience, attr, value)
    experience.save()
    if types is not None:
        experience.participant_types.exclude(code__in=[t.code for t in types]).delete()
        for position, item in enumerate(types):
            ParticipantType.objects.update_or_create(
                experience=experience,
                code=item.code,
                defaults={"name": item.name, "price": item.price, "position": position},
            )
    if "capacity" in changes:
        # Slots not overridden by hand follow the experience's capacity (never below what is booked).
        Slot.objects.filter(
            experience=experience,
            capacity_overridden=False,
            schedule__capacity__isnull=True,
            starts_at__gt=timezone.now(),
        ).filter(booked__lte=changes["capacity"]).update(capacity=changes["capacity"])
    refresh_experience_pricing(product)
    audit_record(actor=actor, action="experience.update", target=product)
    return experience


def refresh_experience_pricing(product: Product) -> Product:
    """The product's price range is its participant prices; it is "in stock" while it has open slots ahead."""
    figures = ParticipantType.objects.filter(experience__product_id=product.pk).aggregate(
        low=Min("price"), high=Max("price")
    )
    product.price_min = figures["low"]
    product.price_max = figures["high"]
    product.in_stock = Slot.objects.filter(
        product_id=product.pk, status=SlotStatus.OPEN, starts_at__gt=timezone.now()
    ).exists()
    product.save(update_fields=["price_min", "price_max", "in_stock", "updated_at"])
    return product
