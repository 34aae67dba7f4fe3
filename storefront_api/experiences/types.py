"""GraphQL types of experiences: slots with remaining places, participant prices, the experience's
details, bookings and tickets (with QR and calendar links)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import graphene
from django.conf import settings
from django.utils import timezone

from backend.experiences import policy as policies
from backend.experiences.models import Booking as BookingModel
from backend.experiences.models import Experience as ExperienceModel
from backend.experiences.models import Ticket as TicketModel
from backend.experiences.selectors import Price, SlotView, slot_views
from backend.experiences.tickets import qr_svg
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import Payload
from storefront_api.core.types import Money, money_field
from storefront_api.regions.types import Commune


def _local(value: Any) -> Any:
    return timezone.localtime(value) if value else None


class ParticipantPrice(graphene.ObjectType):
    """The price of one participant type (e.g. "adult", "child") in a slot."""

    participant_type = graphene.String(required=True)
    name = graphene.String(required=True)
    price = money_field()

    @staticmethod
    def resolve_price(root: Price, info: graphene.ResolveInfo) -> int:
        return root.price


class Slot(graphene.ObjectType):
    """A dated start of an experience (Asia/Ho_Chi_Minh) with its places left."""

    id = graphene.ID(required=True)
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    capacity = graphene.Int(required=True)
    remaining = graphene.Int(required=True, description="capacity − booked − live holds of other carts.")
    booked = graphene.Int(required=True)
    status = graphene.String(required=True, description="OPEN | CANCELLED")
    prices = graphene.List(graphene.NonNull(ParticipantPrice), required=True)
    product_name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: SlotView, info: graphene.ResolveInfo) -> str:
        return global_id("Slot", root.slot.pk)

    @staticmethod
    def resolve_starts_at(root: SlotView, info: graphene.ResolveInfo) -> Any:
        return _local(root.slot.starts_at)

    @staticmethod
    def resolve_ends_at(root: SlotView, info: graphene.ResolveInfo) -> Any:
        return _local(root.slot.ends_at)

    @staticmethod
    def resolve_capacity(root: SlotView, info: graphene.ResolveInfo) -> int:
        return root.slot.capacity

    @staticmethod
    def resolve_booked(root: SlotView, info: graphene.ResolveInfo) -> int:
        return root.slot.booked

    @staticmethod
    def resolve_status(root: SlotView, info: graphene.ResolveInfo) -> str:
        return root.slot.status

    @staticmethod
    def resolve_product_name(root: SlotView, info: graphene.ResolveInfo) -> str:
        return root.slot.product.name


class ParticipantType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    price = money_field()


class CancellationTier(graphene.ObjectType):
    hours_before = graphene.Int(required=True)
    refund_percent = graphene.Int(required=True)


class Schedule(graphene.ObjectType):
    """A weekly recurrence: days (0 = Monday) and start times, between two dates."""

    id = graphene.ID(required=True)
    weekdays = graphene.List(graphene.NonNull(graphene.Int), required=True)
    start_times = graphene.List(graphene.NonNull(graphene.String), required=True)
    valid_from = graphene.Date(required=True)
    valid_until = graphene.Date()
    capacity = graphene.Int()

    @staticmethod
    def resolve_id(root: Any, info: graphene.ResolveInfo) -> str:
        return global_id("Schedule", root.pk)


class BlackoutDate(graphene.ObjectType):
    id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    reason = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: Any, info: graphene.ResolveInfo) -> str:
        return global_id("BlackoutDate", root.pk)


class ExperienceDetails(graphene.ObjectType):
    """What a tourist needs to know before booking."""

    duration_minutes = graphene.Int(required=True)
    meeting_point = graphene.String(required=True)
    meeting_commune = graphene.Field(Commune)
    latitude = graphene.Float()
    longitude = graphene.Float()
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    included = graphene.String(required=True)
    min_age = graphene.Int(required=True)
    capacity = graphene.Int(required=True, description="Places per slot unless a slot says otherwise.")
    booking_cutoff_minutes = graphene.Int(required=True)
    participant_types = graphene.List(graphene.NonNull(ParticipantType), required=True)
    cancellation_policy = graphene.List(graphene.NonNull(CancellationTier), required=True)
    cancellation_policy_text = graphene.List(graphene.NonNull(graphene.String), required=True)
    schedules = graphene.List(graphene.NonNull(Schedule), required=True)
    blackout_dates = graphene.List(graphene.NonNull(BlackoutDate), required=True)

    @staticmethod
    def resolve_latitude(root: ExperienceModel, info: graphene.ResolveInfo) -> float | None:
        return float(root.latitude) if root.latitude is not None else None

    @staticmethod
    def resolve_longitude(root: ExperienceModel, info: graphene.ResolveInfo) -> float | None:
        return float(root.longitude) if root.longitude is not None else None

    @staticmethod
    def resolve_participant_types(root: ExperienceModel, info: graphene.ResolveInfo) -> list[Any]:
        return list(root.participant_types.all())

    @staticmethod
    def resolve_cancellation_policy(root: ExperienceModel, info: graphene.ResolveInfo) -> list[CancellationTier]:
        return [CancellationTier(**tier) for tier in root.cancellation_policy]

    @staticmethod
    def resolve_cancellation_policy_text(root: ExperienceModel, info: graphene.ResolveInfo) -> list[str]:
        return policies.describe(root.cancellation_policy)

    @staticmethod
    def resolve_schedules(root: ExperienceModel, info: graphene.ResolveInfo) -> list[Any]:
        return list(root.schedules.filter(is_active=True))

    @staticmethod
    def resolve_blackout_dates(root: ExperienceModel, info: graphene.ResolveInfo) -> list[Any]:
        return list(root.blackout_dates.filter(date__gte=timezone.localdate()))


@dataclass
class TicketView:
    ticket: TicketModel
    slot: SlotView


def ticket_views(tickets: list[TicketModel]) -> list[TicketView]:
    """Tickets with their slots' remaining places and prices (two queries for all)."""
    slots = {t.slot_id: t.slot for t in tickets}
    views = {v.slot.pk: v for v in slot_views(list(slots.values()))}
    return [TicketView(ticket=t, slot=views[t.slot_id]) for t in tickets]


class Ticket(graphene.ObjectType):
    """One participant's entry: show the QR code (or tell the code) at the meeting point."""

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    slot = graphene.Field(graphene.NonNull(Slot))
    participant_type = graphene.String(required=True)
    participant_name = graphene.String(required=True)
    price = money_field()
    status = graphene.String(required=True, description="VALID | CANCELLED")
    booking_status = graphene.String(
        required=True, description="PENDING (awaiting payment) | CONFIRMED | CANCELLED | NO_SHOW"
    )
    checked_in_at = graphene.DateTime()
    product_name = graphene.String(required=True)
    qr_svg = graphene.String(required=True, description="The QR code of the ticket's code, as inline SVG.")
    qr_url = graphene.String(required=True, description="PNG of the QR code.")
    calendar_url = graphene.String(required=True, description="An .ics file to add the experience to a calendar.")

    @staticmethod
    def resolve_id(root: TicketView, info: graphene.ResolveInfo) -> str:
        return global_id("Ticket", root.ticket.pk)

    @staticmethod
    def resolve_code(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.ticket.code

    @staticmethod
    def resolve_slot(root: TicketView, info: graphene.ResolveInfo) -> SlotView:
        return root.slot

    @staticmethod
    def resolve_participant_type(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.ticket.participant_type

    @staticmethod
    def resolve_participant_name(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.ticket.participant_name or root.ticket.participant_type

    @staticmethod
    def resolve_price(root: TicketView, info: graphene.ResolveInfo) -> int:
        return root.ticket.price

    @staticmethod
    def resolve_status(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.ticket.status

    @staticmethod
    def resolve_booking_status(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.ticket.booking.status

    @staticmethod
    def resolve_checked_in_at(root: TicketView, info: graphene.ResolveInfo) -> Any:
        return _local(root.ticket.checked_in_at)

    @staticmethod
    def resolve_product_name(root: TicketView, info: graphene.ResolveInfo) -> str:
        return root.slot.slot.product.name

    @staticmethod
    def resolve_qr_svg(root: TicketView, info: graphene.ResolveInfo) -> str:
        return qr_svg(root.ticket.code)

    @staticmethod
    def resolve_qr_url(root: TicketView, info: graphene.ResolveInfo) -> str:
        return f"{settings.PUBLIC_URL}/tickets/{root.ticket.code}/qr.png"

    @staticmethod
    def resolve_calendar_url(root: TicketView, info: graphene.ResolveInfo) -> str:
        return f"{settings.PUBLIC_URL}/tickets/{root.ticket.code}/calendar.ics"


class ParticipantCount(graphene.ObjectType):
    participant_type = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = money_field()


@dataclass
class BookingView:
    booking: BookingModel
    slot: SlotView
    tickets: list[TicketView]


def booking_views(bookings: list[BookingModel]) -> list[BookingView]:
    """Bookings with slots and tickets, loaded together (a fixed number of queries)."""
    if not bookings:
        return []
    slots = {b.slot_id: b.slot for b in bookings}
    views = {v.slot.pk: v for v in slot_views(list(slots.values()))}
    tickets: dict[int, list[TicketView]] = {}
    rows = TicketModel.objects.filter(booking__in=bookings).select_related("booking").order_by("id")
    for ticket in rows:
        tickets.setdefault(ticket.booking_id, []).append(TicketView(ticket=ticket, slot=views[ticket.slot_id]))
    return [BookingView(booking=b, slot=views[b.slot_id], tickets=tickets.get(b.pk, [])) for b in bookings]


class Booking(graphene.ObjectType):
    """Places in one slot, inside an order; one ticket per participant."""

    id = graphene.ID(required=True)
    status = graphene.String(required=True, description="PENDING | CONFIRMED | CANCELLED | NO_SHOW")
    slot = graphene.Field(graphene.NonNull(Slot))
    product_name = graphene.String(required=True)
    order_number = graphene.String(required=True)
    contact_name = graphene.String(required=True)
    contact_phone = graphene.String(required=True)
    participants = graphene.List(graphene.NonNull(ParticipantCount), required=True)
    quantity = graphene.Int(required=True)
    total = money_field()
    refunded_amount = money_field()
    refund_if_cancelled_now = money_field(description="What the cancellation policy would refund now.")
    created_at = graphene.DateTime(required=True)
    cancelled_at = graphene.DateTime()
    tickets = graphene.List(graphene.NonNull(Ticket), required=True)

    @staticmethod
    def resolve_id(root: BookingView, info: graphene.ResolveInfo) -> str:
        return global_id("Booking", root.booking.pk)

    @staticmethod
    def resolve_status(root: BookingView, info: graphene.ResolveInfo) -> str:
        return root.booking.status

    @staticmethod
    def resolve_slot(root: BookingView, info: graphene.ResolveInfo) -> SlotView:
        return root.slot

    @staticmethod
    def resolve_product_name(root: BookingView, info: graphene.ResolveInfo) -> str:
        return root.slot.slot.product.name

    @staticmethod
    def resolve_order_number(root: BookingView, info: graphene.ResolveInfo) -> str:
        return root.booking.order.number

    @staticmethod
    def resolve_contact_name(root: BookingView, info: graphene.ResolveInfo) -> str:
        return root.booking.order.full_name

    @staticmethod
    def resolve_contact_phone(root: BookingView, info: graphene.ResolveInfo) -> str:
        return root.booking.order.phone

    @staticmethod
    def resolve_participants(root: BookingView, info: graphene.ResolveInfo) -> list[ParticipantCount]:
        booking = root.booking
        return [
            ParticipantCount(participant_type=code, quantity=n, unit_price=booking.unit_prices.get(code, 0))
            for code, n in booking.participants.items()
        ]

    @staticmethod
    def resolve_quantity(root: BookingView, info: graphene.ResolveInfo) -> int:
        return root.booking.quantity

    @staticmethod
    def resolve_total(root: BookingView, info: graphene.ResolveInfo) -> int:
        return root.booking.total

    @staticmethod
    def resolve_refunded_amount(root: BookingView, info: graphene.ResolveInfo) -> int:
        return root.booking.refunded_amount

    @staticmethod
    def resolve_refund_if_cancelled_now(root: BookingView, info: graphene.ResolveInfo) -> int:
        booking = root.booking
        if booking.status != "CONFIRMED":
            return 0
        percent = policies.refund_percent(
            booking.cancellation_policy, starts_at=root.slot.slot.starts_at, now=timezone.now()
        )
        return policies.refund_amount(booking.total, percent)

    @staticmethod
    def resolve_created_at(root: BookingView, info: graphene.ResolveInfo) -> Any:
        return _local(root.booking.created_at)

    @staticmethod
    def resolve_cancelled_at(root: BookingView, info: graphene.ResolveInfo) -> Any:
        return _local(root.booking.cancelled_at)

    @staticmethod
    def resolve_tickets(root: BookingView, info: graphene.ResolveInfo) -> list[TicketView]:
        return root.tickets


class TicketPayload(Payload):
    ticket = graphene.Field(Ticket)


class BookingPayload(Payload):
    booking = graphene.Field(Booking)
    refund_percent = graphene.Int(description="Share of the booking refunded under the policy.")
    refund_amount = graphene.Field(Money, description="What is refunded now (through the payment gateway).")


class SlotPayload(Payload):
    slot = graphene.Field(Slot)


class ExperiencePayload(Payload):
    experience = graphene.Field(ExperienceDetails)


class SchedulePayload(Payload):
    schedule = graphene.Field(Schedule)
    slots_created = graphene.Int()


class BlackoutDatePayload(Payload):
    blackout_date = graphene.Field(BlackoutDate)
