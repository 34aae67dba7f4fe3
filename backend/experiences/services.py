"""Write side of experiences, the operator's part: weekly schedules expanded into slots, blackout
dates, single slots, capacity and closing a slot (its bookings are cancelled by
`backend.orders.bookings.slot_cancel`). Setting up the experience itself (details, participant
prices, cancellation policy) is `editing`, re-exported here; what happens to a booking (placed,
paid, cancelled, no-show, checked in) is `backend.experiences.bookings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog.models import Product
from backend.core.dates import local_day_bounds
from backend.core.errors import (
    ErrorDetail,
    InvalidTransition,
    ValidationFailed,
)
from backend.core.response_cache import bump_catalog_version
from backend.experiences.editing import (  # noqa: F401  (the app's write entry points)
    LANGUAGES,
    MAX_PARTICIPANT_TYPES,
    ExperienceData,
    ParticipantTypeData,
    _experience_product,
    bounded,
    experience_of,
    experience_update,
    refresh_experience_pricing,
)
from backend.experiences.models import (
    BlackoutDate,
    Schedule,
    Slot,
    SlotStatus,
)
from backend.experiences.schedules import clean_start_times, clean_weekdays, occurrences
from backend.experiences.selectors import held_places
from backend.moderation.services import audit_record
from backend.sellers.permissions import seller_place

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
    bounded(capacity, low=1, high=10000, name="capacity", errors=errors)
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
    bounded(capacity, low=1, high=10000, name="capacity", errors=errors)
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
    if bounded(capacity, low=1, high=10000, name="capacity", errors=errors) is None:
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
