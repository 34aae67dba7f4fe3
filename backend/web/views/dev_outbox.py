"""`/dev/outbox/` (DEBUG only): what the sandbox channels sent, newest first, so a tester reads an OTP."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.accounts.phones import normalize_vn_phone
from backend.core.errors import ValidationFailed
from backend.notifications.selectors import sandbox_messages


def dev_outbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEBUG:
        raise Http404()
    address = (request.GET.get("to") or "").strip()
    if address and "@" not in address:
        with contextlib.suppress(ValidationFailed):  # filter by what was typed
            address = normalize_vn_phone(address)
    context = {"messages_sent": sandbox_messages(address=address), "to": address}
    response = render(request, "web/dev_outbox.html", context)
    response["Cache-Control"] = "no-store"
    return response
