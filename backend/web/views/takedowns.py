"""Province console: takedown requests (`/province/takedowns/`), over `backend.moderation.takedowns`."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from backend.accounts.models import User
from backend.accounts.selectors import admin_scope_for
from backend.catalog.models import Product
from backend.core.errors import DomainError, ErrorDetail, ValidationFailed
from backend.core.exports import attachment
from backend.moderation.takedowns import handling_hours, takedown_record, takedown_sheets, takedowns_for
from backend.reports.selectors import province_for_viewer
from backend.web.views.common import add_domain_errors
from backend.web.views.province import admin_required

FIELDS = {
    "authority": "authority",
    "documentNumber": "document_number",
    "documentDate": "document_date",
    "reason": "reason",
    "listings": "listings",
}
_SLUG = re.compile(r"/p/([\w-]+)/?|^([\w-]+)$")


class TakedownForm(forms.Form):
    authority = forms.CharField(label=gettext_lazy("Requesting authority"), max_length=255)
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=100)
    document_date = forms.DateField(label=gettext_lazy("Document date (dd/mm/yyyy)"), input_formats=["%d/%m/%Y"])
    reason = forms.CharField(label=gettext_lazy("Reason given"), widget=forms.Textarea(attrs={"rows": 3}))
    listings = forms.CharField(
        label=gettext_lazy("Listings (one product link or slug a line)"), widget=forms.Textarea(attrs={"rows": 4})
    )


def _products(text: str) -> list[Product]:
    slugs = []
    for line in text.splitlines():
        match = _SLUG.search(line.strip())
        if match:
            slugs.append(match.group(1) or match.group(2))
    found = list(Product.objects.filter(slug__in=slugs).select_related("seller__commune"))
    missing = sorted(set(slugs) - {p.slug for p in found})
    if missing or not slugs:
        message = _("These listings do not exist: %(slugs)s") % {"slugs": ", ".join(missing)} if missing else None
        raise ValidationFailed(
            details=[
                ErrorDetail(code="NOT_FOUND", message=message or _("Name at least one listing."), field="listings")
            ]
        )
    return found


@admin_required
@require_http_methods(["GET", "POST"])
def takedowns(request: HttpRequest) -> HttpResponse:
    form = TakedownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = takedown_record(
                actor=request.user,
                authority=data["authority"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                reason=data["reason"],
                products=_products(data["listings"]),
            )
        except DomainError as exc:
            add_domain_errors(form, exc, FIELDS)
        else:
            count = recorded.listings.count()
            messages.success(request, _("Request recorded: %(n)s listing(s) hidden, sellers told.") % {"n": count})
            return HttpResponseRedirect(reverse("province:takedowns"))
    rows = [(r, handling_hours(r)) for r in takedowns_for(user=request.user)[:100]]
    context = {"form": form, "rows": rows, "section": "takedowns"}
    return render(request, "web/province/takedowns.html", context, status=400 if request.method == "POST" else 200)


@admin_required
@require_GET
def takedowns_export(request: HttpRequest, fmt: str) -> HttpResponse:
    scope = admin_scope_for(user=request.user) if isinstance(request.user, User) else None
    key = request.GET.get("province") or (scope.province.slug if scope is not None else "")
    try:
        province = province_for_viewer(user=request.user, key=key)
    except DomainError as exc:
        raise Http404("no such province") from exc
    if fmt not in {"csv", "xlsx"}:
        fmt = "csv"
    return attachment(takedown_sheets(actor=request.user, province=province), fmt=fmt, filename="takedowns")
