"""Tax pages: the province's monthly withholding declaration with its exports and the Decree 91
quarterly file (`/province/tax/`), and a seller's printable statement (`/seller/<id>/tax/`).

Everything is read through `backend.tax.selectors`, the same code as the GraphQL API, and the
permission check is the selector's (province admins of the province, platform staff; seller staff
for their own statement)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.selectors import admin_scope_for
from backend.core.errors import DomainError, NotFound, PermissionDenied
from backend.core.exports import attachment
from backend.regions.models import Province
from backend.regions.selectors import province_filter
from backend.regions.served import default_province
from backend.sellers.models import Seller
from backend.tax import exports, selectors, services
from backend.tax.periods import next_month
from backend.web.views.common import login_required
from backend.web.views.seller import portal_render, staff_seller

EXPORTS = ("xlsx", "csv", "json", "xml")


def _int(request: HttpRequest, name: str, default: int | None) -> int | None:
    raw = request.GET.get(name, request.POST.get(name, ""))
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        raise Http404(f"bad {name}") from None


def _last_month() -> tuple[int, int]:
    first = timezone.localdate().replace(day=1)
    previous = (
        first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1)
    )
    return previous.year, previous.month


def _province(request: HttpRequest) -> Province:
    """`?province=` (slug, code or name), else the admin's own province, else the default one."""
    key = (request.GET.get("province") or request.POST.get("province") or "").strip()
    if key:
        found = Province.objects.filter(province_filter(key)).first()
    else:
        scope = admin_scope_for(user=request.user)  # type: ignore[arg-type]
        found = scope.province if scope is not None else default_province()
    if found is None:
        raise Http404("unknown province")
    return found


def _declaration(request: HttpRequest) -> selectors.Declaration:
    year, month = _last_month()
    try:
        return selectors.monthly_declaration(
            actor=request.user,
            province=_province(request),
            year=_int(request, "year", year) or year,
            month=_int(request, "month", month) or month,
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your province") from exc
    except (NotFound, DomainError) as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def declaration(request: HttpRequest) -> HttpResponse:
    d = _declaration(request)
    query = f"province={d.province.slug}&year={d.period.year}&month={d.period.month}"
    quarter = (d.period.month - 1) // 3 + 1
    context: dict[str, Any] = {
        "d": d,
        "query": query,
        "quarter_query": f"province={d.province.slug}&year={d.period.year}&quarter={quarter}",
        "quarter": quarter,
        "can_close": d.closed is None and next_month(d.period) <= timezone.localdate(),
        "section": "tax",
    }
    return render(request, "web/province/tax.html", context)


@login_required
@require_GET
def declaration_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("unknown format")
    return exports.declaration_download(_declaration(request), fmt=fmt)


@login_required
@require_POST
def declaration_close(request: HttpRequest) -> HttpResponse:
    province = _province(request)
    year, month = _int(request, "year", None), _int(request, "month", None)
    if year is None or month is None:
        raise Http404("year and month")
    try:
        services.tax_period_close(
            actor=request.user, province=province, year=year, month=month, note=request.POST.get("note", "")
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your province") from exc
    except DomainError as exc:
        messages.error(request, str(exc.details[0].message))
    else:
        messages.success(request, _("The month is closed as declared."))
    url = reverse("province:tax")
    return HttpResponseRedirect(f"{url}?province={province.slug}&year={year}&month={month}")


@login_required
@require_GET
def seller_information_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    today = timezone.localdate()
    year = _int(request, "year", today.year) or today.year
    quarter = _int(request, "quarter", (today.month - 1) // 3 + 1) or 1
    province = _province(request)
    try:
        rows = selectors.seller_information(actor=request.user, province=province, year=year, quarter=quarter)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your province") from exc
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    sheets = exports.seller_information_sheets(rows, year=year, quarter=quarter)
    return attachment(sheets, fmt=fmt, filename=f"nd91-{province.slug}-{year}-q{quarter}")


def _statement(request: HttpRequest, seller: Seller) -> selectors.Statement:
    today = timezone.localdate()
    year = _int(request, "year", today.year) or today.year
    month = _int(request, "month", None) if "month" in request.GET else today.month
    try:
        return selectors.seller_statement(actor=request.user, seller=seller, year=year, month=month or None)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your seller") from exc
    except DomainError as exc:
        raise Http404(str(exc)) from exc


@staff_seller
@require_GET
def statement(request: HttpRequest, seller: Seller) -> HttpResponse:
    s = _statement(request, seller)
    months = [(m, f"{m:02d}/{s.year}") for m in range(1, 13)]
    context = {"s": s, "months": months, "section": "tax", "year_range": range(s.year - 2, s.year + 1)}
    return portal_render(request, seller, "web/seller/tax.html", context)


@staff_seller
@require_GET
def statement_export(request: HttpRequest, seller: Seller, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    s = _statement(request, seller)
    name = f"khau-tru-thue-{seller.slug}-{s.year}" + (f"-{s.month:02d}" if s.month else "")
    return attachment(exports.statement_sheets(s), fmt=fmt, filename=name)
