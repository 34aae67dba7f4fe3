"""Write side of experiences, the operator's part: details, participant prices, cancellation
policy, weekly schedules expanded into slots, blackout dates, single slots, capacity and slot
cancellation. What happens to a booking (placed, paid, cancelled, no-show, checked in) is in
`backend.experiences.bookings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog.models import Product, ProductKind
from backend.core.dates import local_day_bounds
from backend.core.errors import (
    ErrorDetail,
    InvalidTransition,
    ValidationFailed,
)
from backend.core.response_cache import bump_catalog_version
from backend.experiences import policy as policies
from backend.experiences.models import (
    BlackoutDate,
    Experience,
    ParticipantType,
    Schedule,
    Slot,
    SlotStatus,
)
from backend.experiences.schedules import clean_start_times, clean_weekdays, occurrences
from backend.moderation.services import audit_record
from backend.regions.models import Commune
from backend.sellers.permissions import seller_place

MAX_PARTICIPANT_TYPES = 8
LANGUAGES = {"vi", "en", "fr", "de", "zh", "ja", "ko", "ru", "k'ho", "ma", "cham"}


# --- setting up an experience ---------------------------------------------------------------


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


def _bounded(value: int | None, *, low: int, high: int, name: str, errors: list[ErrorDetail]) -> int | None:
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
        value = _bounded(getattr(data, attr), low=low, high=high, name=name, errors=errors)
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


# --- schedules, blackout dates and slots -------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def schedule_create(
    *,
    product: Product,
    actor: Any,
    weekdays: Sequence[int],
    start_times: Sequence[str],
    valid_from: date,
    valid_until: date | None = None,
    capacity: int | None = None,
) -> Schedule:
    """A weekly schedule; its slots for the next EXPERIENCE_SLOT_HORIZON_DAYS appear at once."""
    product = _experience_product(product, actor)
    errors: list[ErrorDetail] = []
    days: list[int] = []
    times: list[str] = []
    try:
        days = clean_weekdays(weekdays)
    except ValidationFailed as exc:
        errors.extend(exc.details)
    try:
        times = clean_start_times(start_times)
    except ValidationFailed as exc:
        errors.extend(exc.details)
    if valid_until is not None and valid_until < valid_from:
        errors.append(
            ErrorDetail(code="INVALID", field="validUntil", message=_("The end date is before the start date."))
        )
    if valid_until is not None and valid_until < _today():
        errors.append(ErrorDetail(code="INVALID", field="validUntil", message=_("The end date is in the past.")))
    _bounded(capacity, low=1, high=10000, name="capacity", errors=errors)
    if errors:
        raise ValidationFailed(details=errors)
    experience = experience_of(product)
    schedule = Schedule.objects.create(
        experience=experience,
        weekdays=days,
        start_times=times,
        valid_from=valid_from,
        valid_until=valid_until,
        capacity=capacity,
    )
    expand_schedules(experience_ids=[experience.pk])
    audit_record(actor=actor, action="experience.schedule_create", target=product)
    return schedule


def _empty_future_slots(queryset: Any, *, now: datetime) -> list[int]:
    """Ids of open future slots without bookings or live holds (safe to withdraw)."""
    from backend.experiences.selectors import held_places

    candidates = list(queryset.filter(status=SlotStatus.OPEN, starts_at__gt=now, booked=0).values_list("pk", flat=True))
    held = held_places(candidates)
    return [pk for pk in candidates if not held.get(pk)]


@transaction.atomic
def schedule_delete(*, schedule: Schedule, actor: Any) -> list[Slot]:
    """Stop a schedule: its future slots nobody booked disappear; booked ones stay (cancel them
    explicitly with slotCancel, which refunds). Returns the slots that stay."""
    product = schedule.experience.product
    _experience_product(product, actor)
    now = timezone.now()
    Slot.objects.filter(pk__in=_empty_future_slots(Slot.objects.filter(schedule=schedule), now=now)).delete()
    kept = list(Slot.objects.filter(schedule=schedule, starts_at__gt=now, status=SlotStatus.OPEN))
    Slot.objects.filter(schedule=schedule).update(schedule=None)
    schedule.delete()
    refresh_experience_pricing(product)
    audit_record(actor=actor, action="experience.schedule_delete", target=product)
    return kept


@transaction.atomic
def blackout_add(*, product: Product, actor: Any, day: date, reason: str = "") -> BlackoutDate:
    """No slots on `day`. Empty slots that day are withdrawn; a day with bookings is refused (cancel
    those slots first: the buyers are refunded and told)."""
    product = _experience_product(product, actor)
    experience = experience_of(product)
    start, end = local_day_bounds(day, day)
    that_day = Slot.objects.filter(experience=experience, starts_at__gte=start, starts_at__lt=end)
    booked = [s for s in that_day.filter(status=SlotStatus.OPEN) if s.booked > 0]
    if booked:
        times = ", ".join(timezone.localtime(s.starts_at).strftime("%H:%M") for s in booked)
        raise ValidationFailed(
            _("Slots at %(times)s that day have bookings; cancel them first.") % {"times": times}, field="date"
        )
    if day < _today():
        raise ValidationFailed(_("This day is in the past."), field="date")
    Slot.objects.filter(pk__in=_empty_future_slots(that_day, now=timezone.now())).delete()
    blackout, _created = BlackoutDate.objects.update_or_create(
        experience=experience, date=day, defaults={"reason": (reason or "").strip()[:255]}
    )
    refresh_experience_pricing(product)
    audit_record(actor=actor, action="experience.blackout_add", target=product, reason=str(day))
    return blackout


@transaction.atomic
def blackout_remove(*, blackout: BlackoutDate, actor: Any) -> None:
    product = blackout.experience.product
    _experience_product(product, actor)
    experience_id = blackout.experience_id
    blackout.delete()
    expand_schedules(experience_ids=[experience_id])
    audit_record(actor=actor, action="experience.blackout_remove", target=product, reason=str(blackout.date))


@transaction.atomic
def slot_create(*, product: Product, actor: Any, starts_at: datetime, capacity: int | None = None) -> Slot:
    """A single dated slot (outside any weekly schedule)."""
    product = _experience_product(product, actor)
    experience = experience_of(product)
    errors: list[ErrorDetail] = []
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, timezone.get_default_timezone())
    if starts_at <= timezone.now():
        errors.append(ErrorDetail(code="INVALID", field="startsAt", message=_("The slot must start in the future.")))
    if experience.blackout_dates.filter(date=timezone.localtime(starts_at).date()).exists():
        errors.append(ErrorDetail(code="INVALID", field="startsAt", message=_("This day is a blackout date.")))
    _bounded(capacity, low=1, high=10000, name="capacity", errors=errors)
    if Slot.objects.filter(experience=experience, starts_at=starts_at).exists():
        errors.append(ErrorDetail(code="UNIQUE", field="startsAt", message=_("There is already a slot at this time.")))
    if errors:
        raise ValidationFailed(details=errors)
    slot = Slot.objects.create(
        experience=experience,
        product=product,
        seller_id=product.seller_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=experience.duration_minutes),
        capacity=capacity or experience.capacity,
        capacity_overridden=capacity is not None,
    )
    refresh_experience_pricing(product)
    audit_record(actor=actor, action="slot.create", target=slot)
    return slot


def _locked_slot(slot: Slot, actor: Any, act: Act = Act.EXPERIENCE_EDIT) -> Slot:
    ensure_may(actor=actor, act=act, place=seller_place(slot.seller_id))
    return Slot.objects.select_for_update(of=("self",)).select_related("product", "experience").get(pk=slot.pk)


@transaction.atomic
def slot_update(*, slot: Slot, actor: Any, capacity: int) -> Slot:
    """Override one slot's number of places (never below the places already booked)."""
    locked = _locked_slot(slot, actor)
    errors: list[ErrorDetail] = []
    if _bounded(capacity, low=1, high=10000, name="capacity", errors=errors) is None:
        raise ValidationFailed(details=errors)
    if capacity < locked.booked:
        raise ValidationFailed(_("%(booked)s places are already booked.") % {"booked": locked.booked}, field="capacity")
    before = str(locked.capacity)
    locked.capacity = capacity
    locked.capacity_overridden = True
    locked.save(update_fields=["capacity", "capacity_overridden"])
    audit_record(
        actor=actor,
        action="slot.capacity",
        target=locked,
        status_before=before,
        status_after=str(capacity),
    )
    return locked


def slot_close(*, slot: Slot, actor: Any, reason: str) -> Slot:
    """Close a slot the operator calls off (no new bookings from now on). Its bookings are cancelled
    and refunded by `backend.orders.bookings.slot_cancel`, which calls this first."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."), code="REQUIRED", field="reason")
    with transaction.atomic():
        locked = _locked_slot(slot, actor, Act.SLOT_CANCEL)
        if locked.status == SlotStatus.CANCELLED:
            raise InvalidTransition(_("This slot is already cancelled."))
        locked.status = SlotStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = text[:2000]
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit_record(
            actor=actor,
            action="slot.cancel",
            target=locked,
            reason=text,
            status_before="OPEN",
            status_after="CANCELLED",
        )
        refresh_experience_pricing(locked.product)
    return locked


def expand_schedules(*, now: datetime | None = None, experience_ids: Sequence[int] | None = None) -> int:
    """Materialise the slots of active weekly schedules for the next EXPERIENCE_SLOT_HORIZON_DAYS
    (the periodic task). Existing slots are left alone, so running it again adds nothing."""
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    horizon = today + timedelta(days=settings.EXPERIENCE_SLOT_HORIZON_DAYS)
    schedules = (
        Schedule.objects.filter(is_active=True).filter(valid_from__lte=horizon).select_related("experience__product")
    )
    schedules = schedules.exclude(valid_until__lt=today)
    if experience_ids is not None:
        schedules = schedules.filter(experience_id__in=experience_ids)
    created = 0
    by_experience: dict[int, list[Schedule]] = {}
    for schedule in schedules:
        by_experience.setdefault(schedule.experience_id, []).append(schedule)
    for experience_id, items in by_experience.items():
        experience = items[0].experience
        blackout = set(BlackoutDate.objects.filter(experience_id=experience_id).values_list("date", flat=True))
        existing = set(
            Slot.objects.filter(experience_id=experience_id, starts_at__gte=moment).values_list("starts_at", flat=True)
        )
        new: list[Slot] = []
        for schedule in items:
            for start in occurrences(
                weekdays=schedule.weekdays,
                start_times=schedule.start_times,
                valid_from=schedule.valid_from,
                valid_until=schedule.valid_until,
                date_from=today,
                date_to=horizon,
                blackout=blackout,
            ):
                if start <= moment or start in existing:
                    continue
                existing.add(start)
                new.append(
                    Slot(
                        experience=experience,
                        product=experience.product,
                        seller_id=experience.product.seller_id,
                        schedule=schedule,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=experience.duration_minutes),
                        capacity=schedule.capacity or experience.capacity,
                    )
                )
        if new:
            with transaction.atomic():
                Slot.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
                refresh_experience_pricing(experience.product)
                bump_catalog_version()
            created += len(new)
    return created
