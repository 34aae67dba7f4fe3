"""Ticket files: the QR image and the calendar (.ics) of a ticket, reached by its code."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from backend.experiences.selectors import ticket_by_code
from backend.experiences.tasks import ticket_calendar
from backend.experiences.tickets import qr_png


@require_GET
def ticket_qr(request: HttpRequest, code: str) -> HttpResponse:
    ticket = ticket_by_code(code)
    if ticket is None:
        raise Http404
    response = HttpResponse(qr_png(ticket.code), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
def ticket_ics(request: HttpRequest, code: str) -> HttpResponse:
    ticket = ticket_by_code(code)
    if ticket is None:
        raise Http404
    response = HttpResponse(ticket_calendar(ticket), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ticket.code}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
