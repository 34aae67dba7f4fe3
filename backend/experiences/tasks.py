"""Periodic slot expansion and booking e-mails (tickets with QR and calendar files, cancellations),
the e-mails delivered by the outbox."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.core.text import format_dong
from backend.experiences import services
from backend.experiences.models import Booking, Ticket, TicketStatus
from backend.experiences.tickets import ics, qr_png, ticket_url
from backend.notifications.services import To, notify_now
from backend.outbox.registry import handler

logger = logging.getLogger(__name__)


@shared_task(name="experiences.expand_schedules")
def expand_schedules() -> int:
    created = services.expand_schedules()
    logger.info("slots materialised", extra={"created": created})
    return created


def ticket_calendar(ticket: Ticket) -> str:
    slot = ticket.slot
    experience = slot.experience
    location = ", ".join(
        part for part in (experience.meeting_point, str(experience.meeting_commune or slot.product.commune)) if part
    )
    return ics(
        code=ticket.code,
        title=slot.product.name,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        location=location,
        description=f"{ticket.participant_name or ticket.participant_type} · {ticket.code}",
    )


@handler("experiences.tickets")
def send_tickets(order_id: int) -> int:
    """E-mail the buyer their tickets: one line per ticket with its link, a QR image and a calendar
    file per ticket attached."""
    tickets = list(
        Ticket.objects.filter(booking__order_id=order_id, status=TicketStatus.VALID)
        .select_related(
            "booking__order", "slot__product", "slot__experience__meeting_commune", "slot__product__commune"
        )
        .order_by("slot__starts_at", "id")
    )
    if not tickets:
        return 0
    order = tickets[0].booking.order
    if not order.email:
        return _ticket_links_by_phone(order, tickets)
    language = getattr(order.user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        lines = [_("Your tickets for order %(number)s:") % {"number": order.number}, ""]
        for ticket in tickets:
            when = date_format(timezone.localtime(ticket.slot.starts_at), "SHORT_DATETIME_FORMAT")
            lines.append(
                f"{ticket.slot.product.name} · {when} · {ticket.participant_name} · {ticket.code} "
                f"({format_dong(ticket.price)}) {ticket_url(ticket.code)}"
            )
        lines += ["", _("Show the QR code or tell the code at the meeting point.")]
        message = EmailMessage(
            subject=_("Tickets for order %(number)s") % {"number": order.number},
            body="\n".join(lines),
            to=[order.email],
        )
        for ticket in tickets:
            message.attach(f"{ticket.code}.ics", ticket_calendar(ticket), "text/calendar")
            message.attach(f"{ticket.code}.png", qr_png(ticket.code), "image/png")
        return message.send()


def _ticket_links_by_phone(order: Any, tickets: list[Ticket]) -> int:
    """A buyer without an e-mail (a phone-only account) gets each ticket's link on Zalo or by SMS."""
    recipient: User | To = order.user if order.user is not None and order.user.phone else To(phone=order.phone)
    sent = 0
    for ticket in tickets:
        when = date_format(timezone.localtime(ticket.slot.starts_at), "SHORT_DATETIME_FORMAT")
        sent += notify_now(
            kind="booking.ticket",
            event_key=f"ticket:{ticket.code}",
            recipients=[recipient],
            params={
                "number": ticket.code,
                "experience": ticket.slot.product.name,
                "date": when,
                "url": ticket_url(ticket.code),
            },
        )
    return sent


@handler("experiences.booking_cancelled")
def notify_booking_cancelled(booking_ids: list[int], by_operator: bool) -> int:
    sent = 0
    for booking in Booking.objects.filter(pk__in=booking_ids).select_related("order__user", "slot__product"):
        if not booking.order.email:  # a phone-only buyer hears it on Zalo or by SMS
            order = booking.order
            recipient: User | To = order.user if order.user is not None and order.user.phone else To(phone=order.phone)
            sent += notify_now(
                kind="booking.cancelled",
                event_key=f"booking:{booking.pk}:cancelled",
                recipients=[recipient],
                params={"number": order.number, "experience": booking.slot.product.name},
            )
            continue
        language = getattr(booking.order.user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            when = date_format(timezone.localtime(booking.slot.starts_at), "SHORT_DATETIME_FORMAT")
            if by_operator:
                body = _(
                    "The operator has cancelled %(name)s at %(when)s (%(reason)s). "
                    "Your booking is refunded in full: %(amount)s."
                )
            else:
                body = _("Your booking of %(name)s at %(when)s is cancelled. Refund: %(amount)s.")
            body = body % {
                "name": booking.slot.product.name,
                "when": when,
                "reason": booking.slot.cancel_reason,
                "amount": format_dong(booking.refunded_amount),
            }
            sent += EmailMessage(
                subject=_("Booking cancelled: %(name)s") % {"name": booking.slot.product.name},
                body=body,
                to=[booking.order.email],
            ).send()
    return sent
