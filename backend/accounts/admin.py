"""Django admin for users (e-mail login) and province admin scopes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import ProvinceAdminScope, User
from backend.accounts.services import DUPLICATE_EMAIL, normalize_email


def _clean_unique_email(form: forms.ModelForm) -> str | None:
    email = normalize_email(form.cleaned_data.get("email") or "")
    if not email:
        return None  # phone-only accounts have no address (NULL, so it never collides)
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk is not None:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(DUPLICATE_EMAIL, code="unique")
    return email


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str | None:
        return _clean_unique_email(self)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str | None:
        return _clean_unique_email(self)


class ProvinceAdminScopeForm(forms.ModelForm):
    class Meta:
        model = ProvinceAdminScope
        fields = ("user", "province", "communes")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province = cleaned.get("province")
        communes = cleaned.get("communes")
        if province is not None and communes is not None:
            outside = [c.name for c in communes if c.province_id != province.pk]
            if outside:
                self.add_error(
                    "communes",
                    _("These communes are not in %(province)s: %(communes)s.")
                    % {"province": province, "communes": ", ".join(outside)},
                )
        return cleaned


class ProvinceAdminScopeInline(admin.StackedInline):
    model = ProvinceAdminScope
    form = ProvinceAdminScopeForm
    filter_horizontal = ("communes",)
    can_delete = True
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "phone",
        "is_province_admin",
        "is_platform_staff",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_platform_staff", "is_staff", "is_superuser", "is_active", "preferred_language", "groups")
    search_fields = ("email", "full_name", "phone")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_platform_staff", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    inlines = (ProvinceAdminScopeInline,)

    @admin.display(boolean=True, description=_("province admin"))
    def is_province_admin(self, obj: User) -> bool:
        return obj.is_province_admin

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("province_scope")

    def get_inlines(self, request: Any, obj: User | None) -> Any:
        # The scope is chosen once the user exists (the add form is e-mail + password only).
        return self.inlines if obj is not None else ()


@admin.register(ProvinceAdminScope)
class ProvinceAdminScopeAdmin(admin.ModelAdmin):
    form = ProvinceAdminScopeForm
    list_display = ("user", "province", "commune_count")
    list_filter = ("province",)
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("communes",)
    list_select_related = ("user", "province")

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).annotate(commune_total=Count("communes"))

    @admin.display(description=_("communes"), ordering="commune_total")
    def commune_count(self, obj: Any) -> str:
        return str(obj.commune_total) if obj.commune_total else str(_("whole province"))
