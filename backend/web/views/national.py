"""The national overview page for platform staff (issue 19): `/province/national/`.

The same figures as the `nationalOverview` query (`backend.reports.national`), provinces side
by side, the served ones first, each linked to its storefront when served.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.accounts.permissions import is_platform_staff
from backend.core.errors import DomainError
from backend.reports.national import national_overview
from backend.web.forms.province_reports import DashboardForm
from backend.web.views.common import add_domain_errors, login_redirect, signed_in
from backend.web.views.province_reports import RANGE_FIELDS


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not signed_in(request):
        return login_redirect(request)
    if not is_platform_staff(request.user):
        raise DjangoPermissionDenied("platform staff only")
    form = DashboardForm(request.GET)
    rows: list[Any] = []
    served_only = request.GET.get("served") == "1"
    if form.is_valid():
        try:
            rows = national_overview(
                user=request.user,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                served_only=served_only,
            )
        except DomainError as exc:
            add_domain_errors(form, exc, RANGE_FIELDS)
    return render(request, "web/province/national.html", {"form": form, "rows": rows, "served_only": served_only})
