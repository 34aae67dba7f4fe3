"""Django admin for experiences: set-up (details, prices, schedules, blackout dates) is editable;
slots can be cancelled (with refunds, through the service); bookings and tickets are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError
from backend.experiences import services
from backend.experiences.models import BlackoutDate, Booking, Experience, ParticipantType, Schedule, Slot, Ticket
from backend.orders import bookings as order_bookings
from backend.orders.admin import ReadOnlyAdminMixin, ReadOnlyInline, _field_names


class ParticipantTypeInline(admin.TabularInline):
    model = ParticipantType
    extra = 0
    min_num = 1


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


class BlackoutInline(admin.TabularInline):
    model = BlackoutDate
    extra = 0


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ("product", "duration_minutes", "capacity", "meeting_commune", "min_age")
    search_fields = ("product__name", "product__seller__name")
    raw_id_fields = ("product",)
    autocomplete_fields = ("meeting_commune",)
    inlines = [ParticipantTypeInline, ScheduleInline, BlackoutInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        experience = form.instance
        services.expand_schedules(experience_ids=[experience.pk])
        services.refresh_experience_pricing(experience.product)


class TicketInline(ReadOnlyInline):
    model = Ticket
    fields = ("code", "participant_type", "price", "status", "checked_in_at")
    readonly_fields = fields


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("product", "starts_at", "capacity", "booked", "status")
    list_filter = ("status", "seller")
    search_fields = ("product__name",)
    date_hierarchy = "starts_at"
    readonly_fields = (
        "experience",
        "product",
        "seller",
        "schedule",
        "booked",
        "status",
        "cancelled_at",
        "cancel_reason",
    )
    fields = (*readonly_fields[:4], "starts_at", "ends_at", "capacity", *readonly_fields[4:])
    actions = ["cancel_slots"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Cancel the selected slots (bookings refunded in full)"))
    def cancel_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        done = 0
        for slot in queryset:
            try:
                order_bookings.slot_cancel(slot=slot, actor=request.user, reason=str(_("Cancelled by the platform")))
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{slot}: {exc}", messages.ERROR)
        self.message_user(request, _("%(count)s slots cancelled.") % {"count": done})


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "product", "slot", "quantity", "total", "refunded_amount", "status", "created_at")
    list_filter = ("status", "seller")
    search_fields = ("order__number", "product__name")
    readonly_fields = _field_names(Booking)
    inlines = [TicketInline]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "slot", "participant_type", "status", "checked_in_at")
    list_filter = ("status",)
    search_fields = ("code", "booking__order__number")
    readonly_fields = _field_names(Ticket)
