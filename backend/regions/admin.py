"""Admin for the administrative units: reference data, so read-mostly.

Rows come from the pinned packages and fixtures/regions via `manage.py
load_regions` (3,321 communes, ~10,600 legacy rows). Only superusers
may add or delete them (a province admin fixing a typo is fine; removing a
commune that addresses point at is not), and codes never change in place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from backend.core.text import search_key
from backend.regions.keys import fill_legacy_keys, legacy_key
from backend.regions.models import Commune, LegacyUnit, Province


class ReferenceDataAdmin(admin.ModelAdmin):
    identity_fields: tuple[str, ...] = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.identity_fields if obj is not None else readonly

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # Also match the folded keys, so "xuan huong" finds "Xuân Hương".
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | self.folded_search(queryset, search_term)
        return results, may_have_duplicates

    def folded_search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        for word in search_key(term).split():
            queryset = queryset.filter(search_name__icontains=word)
        return queryset


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "short_name", "name_en", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name", "name_en", "slug")
    ordering = ("code",)

    def save_model(self, request: HttpRequest, obj: Province, form: Any, change: bool) -> None:
        obj.search_name = search_key(obj.name)
        super().save_model(request, obj, form, change)


class LegacyUnitInline(admin.TabularInline):
    model = LegacyUnit
    fields = ("old_code", "old_name", "old_kind", "old_district", "old_province", "transfer")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "short_name", "kind", "province")
    list_filter = ("province", "kind")
    list_select_related = ("province",)
    search_fields = ("code", "name", "short_name", "slug")
    inlines = (LegacyUnitInline,)

    def save_model(self, request: HttpRequest, obj: Commune, form: Any, change: bool) -> None:
        obj.search_name = search_key(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(LegacyUnit)
class LegacyUnitAdmin(ReferenceDataAdmin):
    identity_fields = ("old_code",)
    list_display = ("old_code", "old_name", "old_kind", "old_district", "old_province", "commune", "transfer")
    # No filter by old district: the country had about 700 (search finds them).
    list_filter = ("old_province", "transfer", "in_resolution", "old_kind")
    list_select_related = ("commune",)
    search_fields = ("old_code", "old_name", "old_name_alias", "ward_key", "old_district", "commune__name")
    autocomplete_fields = ("commune",)

    def folded_search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        key = legacy_key(term)
        return queryset.filter(Q(ward_key__contains=key) | Q(ward_alias_key__contains=key)) if key else queryset.none()

    def save_model(self, request: HttpRequest, obj: LegacyUnit, form: Any, change: bool) -> None:
        fill_legacy_keys(obj)
        super().save_model(request, obj, form, change)
