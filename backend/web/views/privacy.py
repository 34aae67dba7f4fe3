"""The account's personal data page (`/account/privacy/`): consents, download my data, delete my account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.core.errors import DomainError
from backend.legal import services as legal
from backend.legal.models import ConsentPurpose
from backend.privacy import services
from backend.web.views.common import login_required


@login_required
@require_GET
def privacy_page(request: HttpRequest) -> HttpResponse:
    consents = list(legal.consents_of(user=request.user))
    marketing = any(c.purpose == ConsentPurpose.MARKETING and c.withdrawn_at is None for c in consents)
    return render(request, "web/account/privacy.html", {"consents": consents, "marketing": marketing})


@login_required
@require_POST
def consent_change(request: HttpRequest, action: str) -> HttpResponse:
    purpose = request.POST.get("purpose", "")
    try:
        if action == "grant":
            legal.consent_grant(user=request.user, purpose=purpose, channel="WEB")
        else:
            legal.consent_withdraw(user=request.user, purpose=purpose)
    except DomainError as exc:
        messages.error(request, str(exc.details[0].message))
    else:
        messages.success(request, _("Your choice is saved."))
    return HttpResponseRedirect(reverse("web:privacy"))


@login_required
@require_GET
def data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    data = services.data_export(user=request.user)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="chophien-my-data.json"'
    else:
        response = render(request, "web/account/my_data.html", {"data": data})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def account_delete_view(request: HttpRequest) -> HttpResponse:
    try:
        services.account_delete(user=request.user, password=request.POST.get("password", ""))
    except DomainError as exc:
        messages.error(request, str(exc.details[0].message))
        return HttpResponseRedirect(reverse("web:privacy"))
    logout(request)
    messages.success(request, _("Your account is deleted."))
    return HttpResponseRedirect(reverse("web:home"))
