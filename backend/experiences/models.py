"""Experiences: the bookable side of a Product of kind EXPERIENCE.

An `Experience` carries what a tourist needs to know (duration, meeting point, languages, what is
included, minimum age, cancellation policy) and its `ParticipantType` prices. `Schedule` rows
(weekly recurrence) are expanded into dated `Slot` rows ahead of time; single slots can be added by
hand. A checkout line with a slot holds places like a goods line holds stock; completing the
checkout turns the hold into a `Booking` (inside the operator's SellerOrder) with one `Ticket` per
participant. `Slot.booked` counts the places of live bookings and only changes under the slot's row
lock, so remaining = capacity − booked − live holds.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Experience(models.Model):
    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="experience")
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(60 * 24 * 14)]
    )
    meeting_point = models.CharField(_("meeting point"), max_length=255, blank=True)
    meeting_commune = models.ForeignKey(
        "regions.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_('e.g. ["vi", "en"]'))
    included = models.TextField(_("what is included"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=0, validators=[MaxValueValidator(99)])
    capacity = models.PositiveIntegerField(
        _("places per slot"), default=10, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    # [{"hours_before": 72, "refund_percent": 100}, {"hours_before": 24, "refund_percent": 50}]:
    # cancelling at least `hours_before` hours ahead refunds that share; later than every tier, nothing.
    cancellation_policy = models.JSONField(_("cancellation policy"), default=list, blank=True)
    booking_cutoff_minutes = models.PositiveIntegerField(_("bookings close (minutes before the start)"), default=60)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self) -> str:
        return str(self.product)


class ParticipantType(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="participant_types")
    code = models.SlugField(_("code"), max_length=30, help_text=_('e.g. "adult", "child", "senior"'))
    name = models.CharField(_("name"), max_length=60)
    price = models.BigIntegerField(_("price (đồng)"), validators=[MinValueValidator(0)])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("participant type")
        verbose_name_plural = _("participant types")
        constraints = [
            models.UniqueConstraint(fields=["experience", "code"], name="participant_type_code_unique"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="participant_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Schedule(models.Model):
    """A weekly recurrence: on `weekdays` (0 = Monday) at each of `start_times`, between two dates."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="schedules")
    weekdays = models.JSONField(_("days of the week"), default=list)
    start_times = models.JSONField(_("start times"), default=list, help_text=_('e.g. ["08:00", "13:30"]'))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places per slot (if not the experience's)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("weekly schedule")
        verbose_name_plural = _("weekly schedules")

    def __str__(self) -> str:
        return f"{self.experience} {self.weekdays} {self.start_times}"


class BlackoutDate(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="blackout_dates")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("blackout date")
        verbose_name_plural = _("blackout dates")
        constraints = [models.UniqueConstraint(fields=["experience", "date"], name="blackout_once_per_day")]

    def __str__(self) -> str:
        return f"{self.experience} {self.date}"


class SlotStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    CANCELLED = "CANCELLED", _("Cancelled")


class Slot(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="slots")
    # Denormalised from the experience so listings and permission checks need no join.
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="slots")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="slots")
    schedule = models.ForeignKey(Schedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    capacity_overridden = models.BooleanField(default=False)
    booked = models.PositiveIntegerField(_("places booked"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["experience", "starts_at"], name="slot_once_per_start"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"),
        ]
        indexes = [models.Index(fields=["product", "starts_at"], name="slot_product_start")]

    def __str__(self) -> str:
        return f"{self.product} @ {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    PENDING = "PENDING", _("Awaiting payment")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    CANCELLED = "CANCELLED", _("Cancelled")
    NO_SHOW = "NO_SHOW", _("No-show")


class Booking(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="bookings")
    seller_order = models.ForeignKey("orders.SellerOrder", on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="bookings")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    # participant type code -> number of people, and the price paid for each type
    participants = models.JSONField(default=dict)
    unit_prices = models.JSONField(default=dict)
    quantity = models.PositiveIntegerField(_("participants"))
    total = models.BigIntegerField(_("total"))
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    cancellation_policy = models.JSONField(default=list)  # the policy the buyer accepted
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    no_show_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.slot}"


class TicketStatus(models.TextChoices):
    VALID = "VALID", _("Valid")
    CANCELLED = "CANCELLED", _("Cancelled")


class Ticket(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="tickets")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="tickets")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="tickets")
    code = models.CharField(_("code"), max_length=32, unique=True)
    participant_type = models.CharField(_("participant type"), max_length=30)
    participant_name = models.CharField(_("participant type name"), max_length=60, blank=True)
    price = models.BigIntegerField(_("price"))
    status = models.CharField(max_length=12, choices=TicketStatus.choices, default=TicketStatus.VALID)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return self.code
