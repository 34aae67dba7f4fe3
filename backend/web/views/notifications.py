"""`/account/notifications`: which messages come by Zalo, SMS or e-mail (transactional ones cannot be
turned off: with every channel off they still come by the first one that reaches the person)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.accounts.models import User
from backend.notifications.selectors import preference_rows
from backend.notifications.services import set_preference
from backend.web.views.common import login_required
from messaging.base import Medium


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        for row in preference_rows(user=user):
            kind = str(row["kind"])
            off = [m.value for m in Medium if request.POST.get(f"on:{kind}:{m.value}") != "1"]
            set_preference(user=user, kind=kind, muted=request.POST.get(f"mute:{kind}") == "1", disabled_mediums=off)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("web:notification-preferences")
    context = {"rows": preference_rows(user=user), "mediums": [m.value for m in Medium]}
    return render(request, "web/account/notifications.html", context)
