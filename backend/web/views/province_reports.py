"""Province console analytics (`/province/dashboard/`, `/province/alerts/`, `/province/imports/`).

The figures come from `reports.selectors.province_dashboard`, the alerts from `province_alerts`
and the import from `reports.imports.import_sellers`, the same code as the GraphQL API and the
admin pages. A province admin sees their own province; `?province=` names another one only for
someone who administers it (superusers), anyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from backend.accounts.permissions import admin_province_ids
from backend.accounts.selectors import admin_scope_for
from backend.core.errors import DomainError, NotFound, PermissionDenied
from backend.core.text import format_dong
from backend.regions.models import Province
from backend.regions.served import default_province_slug
from backend.reports import charts, exports
from backend.reports.imports import import_sellers
from backend.reports.models import AlertKind
from backend.reports.selectors import (
    CommuneFigures,
    ProvinceDashboard,
    province_alerts,
    province_dashboard,
    province_for_viewer,
)
from backend.web import uploads
from backend.web.forms.province_reports import IMPORT_FIELDS, DashboardForm, ImportForm
from backend.web.views.common import PageWindow, add_domain_errors, page_number
from backend.web.views.province import admin_required

PAGE_SIZE = 50
RANGE_FIELDS = {"dateFrom": "date_from", "dateTo": "date_to"}
COMMUNE_SORTS: dict[str, Callable[[CommuneFigures], Any]] = {
    "-gmv": lambda c: (-c.gmv, c.commune.name),
    "gmv": lambda c: (c.gmv, c.commune.name),
    "-coverage": lambda c: (not c.covered, -c.sellers_approved, c.commune.name),
    "coverage": lambda c: (c.covered, c.sellers_approved, c.commune.name),
    "name": lambda c: c.commune.name,
}
ALERT_STATES = ("open", "resolved", "all")


def viewer_provinces(request: HttpRequest) -> list[Province]:
    """The provinces the user administers (every one for a superuser), by code."""
    return list(Province.objects.filter(pk__in=admin_province_ids(request.user)).order_by("code"))


def viewer_province(request: HttpRequest) -> Province:
    """`?province=` when the user administers it (else 403/404), or the user's own province."""
    key = request.GET.get("province", "").strip()
    try:
        if key:
            return province_for_viewer(user=request.user, key=key)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your province") from exc
    except NotFound as exc:
        raise Http404("unknown province") from exc
    scope = admin_scope_for(user=request.user)  # type: ignore[arg-type]
    if scope is not None:
        return scope.province
    allowed = viewer_provinces(request)
    if not allowed:
        raise DjangoPermissionDenied("province admins only")
    return next((p for p in allowed if p.slug == default_province_slug()), allowed[0])


def _dashboard(request: HttpRequest) -> tuple[DashboardForm, ProvinceDashboard | None, Province]:
    province = viewer_province(request)
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return form, None, province
    try:
        dashboard = province_dashboard(
            province=province, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
        )
    except DomainError as exc:
        add_domain_errors(form, exc, RANGE_FIELDS)
        return form, None, province
    return form, dashboard, province


def _labelled(svg: SafeString, label: str) -> SafeString:
    """The chart's SVG with an accessible name (the chart module leaves it to the page)."""
    return mark_safe(svg.replace('role="img"', f'role="img" aria-label="{escape(label)}"', 1))


MAP_METRICS = {"sellers": gettext_lazy("approved sellers"), "gmv": gettext_lazy("GMV")}


def _commune_map(request: HttpRequest, figures: ProvinceDashboard, query: dict[str, str]) -> dict[str, Any]:
    """The communes that have coordinates as points coloured by approved sellers or GMV (each a link
    to its row of figures), and the names of those still without coordinates."""
    metric = request.GET.get("map", "sellers")
    if metric not in MAP_METRICS:
        metric = "sellers"
    points, missing = [], []
    for c in figures.by_commune:
        commune = c.commune
        if commune.latitude is None or commune.longitude is None:
            missing.append(commune.name)
            continue
        value = c.sellers_approved if metric == "sellers" else c.gmv
        caption = (
            ngettext("%(n)s approved seller", "%(n)s approved sellers", c.sellers_approved) % {"n": c.sellers_approved}
            + " · "
            + format_dong(c.gmv)
        )
        points.append(
            charts.MapPoint(
                key=commune.code,
                name=commune.name,
                latitude=float(commune.latitude),
                longitude=float(commune.longitude),
                value=value,
                caption=caption,
            )
        )
    label = _("Map of the communes by %(metric)s") % {"metric": MAP_METRICS[metric]}
    sort = request.GET.get("sort", "-gmv")
    return {
        "map_svg": charts.point_map(points, label=label),
        "map_metric": metric,
        "map_metrics": [
            (key, name, urlencode({**query, "sort": sort, "map": key})) for key, name in MAP_METRICS.items()
        ],
        "map_points": len(points),
        "map_missing": sorted(missing),
        "map_colours": charts.MAP_COLOURS,
    }


@admin_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, figures, province = _dashboard(request)
    sort = request.GET.get("sort", "-gmv")
    if sort not in COMMUNE_SORTS:
        sort = "-gmv"
    context: dict[str, Any] = {
        "form": form,
        "d": figures,
        "province": province,
        "provinces": viewer_provinces(request) if request.user.is_superuser else [],
        "sort": sort,
        "section": "dashboard",
    }
    if figures is not None:
        query = {
            "province": province.slug,
            "date_from": figures.date_from.isoformat(),
            "date_to": figures.date_to.isoformat(),
        }
        top_category = max((c.gmv for c in figures.by_category), default=0)
        context |= {
            "query": query,
            "communes": sorted(figures.by_commune, key=COMMUNE_SORTS[sort]),
            "categories": [(c, charts.bar(c.gmv, top_category)) for c in figures.by_category],
            "day_chart": _labelled(
                charts.column_chart([(d.day.strftime("%d/%m"), d.gmv) for d in figures.by_day]), _("GMV by day")
            ),
            **_commune_map(request, figures, query),
        }
    return render(request, "web/province/dashboard.html", context, status=200 if figures else 400)


@admin_required
@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.EXPORT_FORMATS:
        raise Http404("unknown format")
    _form, figures, _province = _dashboard(request)
    if figures is None:
        return HttpResponse(_("Choose a valid date range."), status=400, content_type="text/plain; charset=utf-8")
    try:
        return exports.dashboard_export(actor=request.user, dashboard=figures, fmt=fmt)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied("not your province") from exc


@admin_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    province = viewer_province(request)
    state = request.GET.get("state", "open")
    if state not in ALERT_STATES:
        state = "open"
    kind = request.GET.get("kind", "")
    if kind not in AlertKind.values:
        kind = ""
    found = province_alerts(province=province, include_resolved=state != "open", kind=kind or None)
    if state == "resolved":
        found = found.filter(resolved_at__isnull=False)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=found.count())
    states = [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))]
    context = {
        "alerts": list(found[window.offset : window.offset + PAGE_SIZE]),
        "window": window,
        "state": state,
        "states": states,
        "kind": kind,
        "kinds": AlertKind.choices,
        "province": province,
        "section": "alerts",
    }
    return render(request, "web/province/alerts.html", context)


def _import(request: HttpRequest, *, file_name: str, content: bytes, commit: bool, form: Any) -> Any:
    """The import's report, or None with its errors on `form` (or as messages without a form)."""
    try:
        return import_sellers(actor=request.user, file_name=file_name, content=content, commit=commit)
    except DomainError as exc:
        general = add_domain_errors(form, exc, IMPORT_FIELDS)
        if form is None:
            for text in general:
                messages.error(request, text)
        return None


@admin_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a file for a dry run (the report only); the file waits on the server, so writing its
    valid rows is one button, without choosing the file again."""
    # The service keeps the rows inside the actor's scope; `?province=` is only checked like elsewhere.
    province = viewer_province(request)
    report, kept, status = None, None, 200
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and request.POST.get("staged"):
        form = ImportForm()
        found = uploads.staged(user_id=request.user.pk, tokens=[request.POST["staged"]])
        if not found:
            messages.error(request, _("The checked file is no longer here; choose it again."))
            status = 400
        else:
            file = found[0]
            report = _import(request, file_name=file.original_name, content=file.content(), commit=True, form=None)
            if report is None:
                status = 400
            elif report.committed:
                uploads.discard(found)
                messages.success(request, _("The valid rows are written."))
    elif request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            commit = form.cleaned_data["commit"]
            report = _import(request, file_name=upload.name, content=content, commit=commit, form=form)
            if report is None:
                status = 400
            else:
                if report.committed:
                    messages.success(request, _("The valid rows are written."))
                else:
                    kept = uploads.stage(user_id=request.user.pk, content=content, original_name=upload.name)
                form = ImportForm()
        else:
            status = 400
    context = {"form": form, "report": report, "kept": kept, "province": province, "section": "imports"}
    return render(request, "web/province/imports.html", context, status=status)
