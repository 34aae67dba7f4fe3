"""Commune helper pages over `backend.helpers`: the helper registers a household (the code goes to the
household's phone; the helper types what the household reads back), and the officer's page appoints
helpers and counts what each helper and commune has onboarded. Permissions are the services'."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backend.accounts.models import User
from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.helpers import selectors, services
from backend.helpers.permissions import appointment_of
from backend.regions.models import Commune
from backend.regions.served import default_province_slug
from backend.reports.selectors import province_for_viewer
from backend.sellers.models import Seller
from backend.sellers.permissions import is_seller_owner
from backend.web.views.common import add_domain_errors, flash_domain_error, login_required
from backend.web.views.province import admin_required
from backend.web.views.seller import members_only, portal_render, staff_seller

SESSION_KEY = "helper_household"


class HouseholdForm(forms.Form):
    commune = forms.TypedChoiceField(label=gettext_lazy("Commune"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Household or shop name"), max_length=200)
    phone = forms.CharField(
        label=gettext_lazy("The household's own mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class ConsentForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code the household read from its phone"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class AppointForm(forms.Form):
    helper = forms.CharField(label=gettext_lazy("Helper's verified phone or e-mail"), max_length=254)
    communes = forms.TypedMultipleChoiceField(label=gettext_lazy("Communes"), coerce=int)


@login_required
@require_http_methods(["GET", "POST"])
def household_register(request: HttpRequest) -> HttpResponse:
    helper = cast(User, request.user)
    appointment = appointment_of(helper)
    if appointment is None:
        raise Http404("not a commune helper")
    choices = [(c.pk, c.name) for c in appointment.communes.order_by("name")]
    step = request.POST.get("step", "")
    form = HouseholdForm(request.POST if step == "household" else None)
    form.fields["commune"].choices = choices  # type: ignore[attr-defined]
    consent = ConsentForm(request.POST if step == "consent" else None)
    pending = request.session.get(SESSION_KEY)
    if step == "household" and form.is_valid():
        data = form.cleaned_data
        commune = Commune.objects.get(pk=data["commune"])
        try:
            asked = services.household_consent_request(
                helper=helper, commune=commune, phone=data["phone"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_errors(form, exc, {"phone": "phone"})
        else:
            pending = {"commune": commune.pk, "name": data["name"], "phone": asked.phone}
            request.session[SESSION_KEY] = pending
    elif step == "consent" and pending and consent.is_valid():
        try:
            seller = services.household_register(
                helper=helper,
                commune=Commune.objects.get(pk=pending["commune"]),
                name=pending["name"],
                phone=pending["phone"],
                code=consent.cleaned_data["code"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_errors(consent, exc, {"code": "code", "name": "code"})
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("The household is registered: a province officer will review it."))
            return HttpResponseRedirect(reverse("seller:dashboard", args=[seller.pk]))
    failed = request.method == "POST" and bool(form.errors or consent.errors)
    context = {"form": form, "consent": consent, "pending": pending}
    return render(request, "web/seller/helper_register.html", context, status=400 if failed else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def helpers_page(request: HttpRequest) -> HttpResponse:
    try:
        province = province_for_viewer(user=request.user, key=request.GET.get("province") or default_province_slug())
    except DomainError as exc:
        raise Http404("no province") from exc
    form = AppointForm(request.POST or None)
    form.fields["communes"].choices = [  # type: ignore[attr-defined]
        (c.pk, c.name) for c in Commune.objects.filter(province=province).order_by("name")
    ]
    if request.method == "POST" and form.is_valid():
        actor = cast(User, request.user)
        communes = list(Commune.objects.filter(pk__in=form.cleaned_data["communes"]))
        try:
            user = services.helper_candidate(actor=actor, who=form.cleaned_data["helper"], communes=communes)
            if user is None:
                form.add_error("helper", _("No account uses this phone or e-mail."))
            else:
                services.helper_appoint(actor=actor, user=user, communes=communes)
                messages.success(request, _("%(name)s is now a commune helper.") % {"name": user.full_name or user})
                return HttpResponseRedirect(reverse("province:helpers"))
        except DomainError as exc:
            add_domain_errors(form, exc, {"communes": "communes", "helper": "helper"})
    context = {
        "form": form,
        "province": province,
        "counts": selectors.helper_counts(province=province, viewer=request.user),
        "appointments": selectors.appointments_in(province=province),
    }
    return render(request, "web/province/helpers.html", context, status=400 if form.errors else 200)


@staff_seller
@members_only
@require_http_methods(["GET", "POST"])
def seller_helpers(request: HttpRequest, seller: Seller) -> HttpResponse:
    """The seller's own page about its helpers: who acts for it, everything they did, and "revoke"."""
    if request.method == "POST":
        helper = User.objects.filter(pk=request.POST.get("helper") or 0).first()
        try:
            if helper is None:
                raise Http404("no such helper")
            services.helper_revoke(actor=cast(User, request.user), seller=seller, helper=helper)
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("The helper can no longer act for this seller."))
        return HttpResponseRedirect(reverse("seller:helpers", args=[seller.pk]))
    context = {
        "grants": selectors.helpers_of(seller=seller),
        "acts": list(selectors.acts_for_seller(seller=seller, viewer=request.user)[:100]),
        "is_owner": is_seller_owner(user=request.user, seller=seller),
        "section": "staff",
    }
    return portal_render(request, seller, "web/seller/helpers.html", context)
