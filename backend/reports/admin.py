"""Django admin for province reports: the dashboard page (tables and SVG charts, Excel/CSV export),
alerts, per-province thresholds and the legacy import upload.

Province admins (staff users with a ProvinceAdminScope) see and act on their own province only;
superusers choose any province. The pages live under /admin/reports/alert/ (this admin's get_urls).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import admin_province_ids
from backend.core.errors import DomainError, PermissionDenied
from backend.regions.models import Province
from backend.reports import charts, exports, selectors
from backend.reports.imports import import_sellers
from backend.reports.models import Alert, AlertThreshold

COMMUNE_SORTS = {
    "-gmv": lambda c: (-c.gmv, c.commune.name),
    "gmv": lambda c: (c.gmv, c.commune.name),
    "-coverage": lambda c: (not c.covered, -c.sellers_approved, c.commune.name),
    "coverage": lambda c: (c.covered, c.sellers_approved, c.commune.name),
    "name": lambda c: c.commune.name,
}


def is_province_moderator(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and user.is_province_admin)


def _provinces(request: HttpRequest) -> QuerySet[Province]:
    return Province.objects.filter(pk__in=admin_province_ids(request.user)).order_by("code")


class ProvinceScopedAdmin(admin.ModelAdmin):
    """Rows of the provinces the user administers; visible to province admins without model perms."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_province_moderator(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.province_id not in admin_province_ids(request.user):
            return False
        return is_province_moderator(request) or super().has_view_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(province_id__in=admin_province_ids(request.user))


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    commit = forms.BooleanField(
        label=_("Write the valid rows"),
        required=False,
        help_text=_("Leave unticked for a dry run: the report only, nothing written."),
    )


@admin.register(Alert)
class AlertAdmin(ProvinceScopedAdmin):
    list_display = (
        "kind",
        "province",
        "commune",
        "seller",
        "product",
        "figure",
        "threshold",
        "first_seen_at",
        "resolved_at",
    )
    list_filter = (OpenFilter, "kind", "province")
    list_select_related = ("province", "commune", "seller", "product")
    date_hierarchy = "first_seen_at"
    change_list_template = "admin/reports/alert/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="reports_dashboard"),
            path(
                "dashboard/export.<str:fmt>",
                self.admin_site.admin_view(self.export_view),
                name="reports_dashboard_export",
            ),
            path("import/", self.admin_site.admin_view(self.import_view), name="reports_import"),
        ]
        return own + super().get_urls()

    # --- dashboard ---------------------------------------------------------------------------

    def _dashboard(self, request: HttpRequest) -> tuple[selectors.ProvinceDashboard, list[Province], dict[str, Any]]:
        if not is_province_moderator(request):
            raise DjangoPermissionDenied
        provinces = list(_provinces(request))
        wanted = request.GET.get("province", "")
        province = next((p for p in provinces if wanted in (p.slug, p.code)), None) if wanted else None
        if province is None:
            busy = Province.objects.filter(pk__in=[p.pk for p in provinces], communes__sellers__isnull=False)
            province = busy.order_by("code").first() or (provinces[0] if provinces else None)
        if province is None:
            raise DjangoPermissionDenied
        today = timezone.localdate()
        date_to = _date(request.GET.get("date_to"), today)
        date_from = _date(request.GET.get("date_from"), date_to - timedelta(days=29))
        if date_from > date_to or (date_to - date_from).days >= selectors.MAX_RANGE_DAYS:
            date_from = date_to - timedelta(days=29)
        dashboard = selectors.province_dashboard(province=province, date_from=date_from, date_to=date_to)
        query = {"province": province.slug, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
        return dashboard, provinces, query

    def dashboard_view(self, request: HttpRequest) -> TemplateResponse:
        dashboard, provinces, query = self._dashboard(request)
        sort = request.GET.get("sort", "-gmv")
        communes = sorted(dashboard.by_commune, key=COMMUNE_SORTS.get(sort, COMMUNE_SORTS["-gmv"]))
        top_commune = max((c.gmv for c in communes), default=0)
        top_category = max((c.gmv for c in dashboard.by_category), default=0)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Province dashboard"),
            "d": dashboard,
            "provinces": provinces,
            "query": query,
            "sort": sort,
            "communes": [(c, charts.bar(c.gmv, top_commune)) for c in communes],
            "categories": [(c, charts.bar(c.gmv, top_category)) for c in dashboard.by_category],
            "day_chart": charts.column_chart([(d.day.strftime("%d/%m"), d.gmv) for d in dashboard.by_day]),
            "alerts": list(selectors.province_alerts(province=dashboard.province)[:50]),
        }
        return TemplateResponse(request, "admin/reports/dashboard.html", context)

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in exports.EXPORT_FORMATS:
            return HttpResponse(status=404)
        dashboard, _provinces_list, _query = self._dashboard(request)
        try:
            return exports.dashboard_export(actor=request.user, dashboard=dashboard, fmt=fmt)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied from exc

    # --- import ------------------------------------------------------------------------------

    def import_view(self, request: HttpRequest) -> TemplateResponse:
        if not is_province_moderator(request):
            raise DjangoPermissionDenied
        report = None
        error = ""
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_sellers(
                    actor=request.user,
                    file_name=upload.name,
                    content=upload.read(),
                    commit=form.cleaned_data["commit"],
                )
            except DomainError as exc:
                error = str(exc.details[0].message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import legacy sellers and products"),
            "form": form,
            "report": report,
            "error": error,
        }
        return TemplateResponse(request, "admin/reports/import.html", context)


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


@admin.register(AlertThreshold)
class AlertThresholdAdmin(ProvinceScopedAdmin):
    list_display = (
        "province",
        "pending_application_days",
        "cancellation_rate",
        "failed_cod_rate",
        "rate_min_orders",
        "reports_threshold",
        "price_ratio",
    )

    def _mine(self, request: HttpRequest, obj: Any) -> bool:
        return is_province_moderator(request) and (obj is None or obj.province_id in admin_province_ids(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._mine(request, None) or super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._mine(request, obj) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._mine(request, obj) or super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "province":
            kwargs["queryset"] = Province.objects.filter(Q(pk__in=admin_province_ids(request.user))).order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
