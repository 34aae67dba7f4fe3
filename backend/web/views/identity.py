"""Identity pages: the owner verifies the identity behind a seller (`/seller/<id>/identity/`), a province
officer reviews the CCCD photos (`/province/identity/`). Over `backend.sellers.identity`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.core.errors import DomainError
from backend.sellers import identity
from backend.sellers.models import IdentityVerification, IdentityVerificationStatus, Seller
from backend.sellers.selectors import identity_reviews_for
from backend.web.forms.identity import VERIFY_FIELDS, IdentityReviewForm, IdentityVerifyForm
from backend.web.views.common import add_domain_errors
from backend.web.views.province import admin_required
from backend.web.views.seller import portal_render, staff_seller

REVIEW_FIELDS = {
    "readFullName": "read_full_name",
    "readBirthDate": "read_birth_date",
    "readIdNumber": "read_id_number",
    "reason": "reason",
}


@staff_seller
@require_http_methods(["GET", "POST"])
def seller_identity(request: HttpRequest, seller: Seller) -> HttpResponse:
    providers = [(p.id, _(p.name)) for p in identity.identity_providers()]
    form = IdentityVerifyForm(request.POST or None, request.FILES or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _verification, url = identity.identity_verification_start(
                seller=seller,
                actor=request.user,
                provider_id=data["provider"],
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                id_number=data["id_number"],
                front_photo=data.get("front_photo"),
                back_photo=data.get("back_photo"),
            )
        except DomainError as exc:
            add_domain_errors(form, exc, VERIFY_FIELDS)
        else:
            if url:
                return HttpResponseRedirect(url)
            messages.success(request, _("Photos sent: a province officer will compare them with you."))
            return HttpResponseRedirect(reverse("seller:identity", args=[seller.pk]))
    context = {
        "form": form,
        "verifications": IdentityVerification.objects.filter(seller=seller).order_by("-created_at")[:10],
        "section": "identity",
    }
    status = 400 if request.method == "POST" else 200
    return portal_render(request, seller, "web/seller/identity.html", context, status=status)


@admin_required
@require_http_methods(["GET"])
def review_queue(request: HttpRequest) -> HttpResponse:
    pending = identity_reviews_for(user=request.user)
    return render(request, "web/province/identity_queue.html", {"reviews": pending, "section": "identity"})


@admin_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    verification = identity_reviews_for(user=request.user, pending_only=False).filter(pk=pk).first()
    if verification is None:
        raise Http404("no such review")
    form = IdentityReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity.identity_verification_review(
                verification=verification,
                actor=request.user,
                approve=data["decision"] == "approve",
                front_photo_genuine=data["front_photo_genuine"],
                back_photo_genuine=data["back_photo_genuine"],
                face_matches=data["face_matches"],
                card_valid=data["card_valid"],
                read_full_name=data["read_full_name"],
                read_birth_date=data["read_birth_date"],
                read_id_number=data["read_id_number"],
                reason=data["reason"],
                note=data["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, REVIEW_FIELDS)
        else:
            messages.success(request, _("Decision recorded."))
            return HttpResponseRedirect(reverse("province:identity-queue"))
    context = {
        "verification": verification,
        "form": form,
        "decided": verification.status != IdentityVerificationStatus.PENDING,
        "section": "identity",
    }
    return render(
        request, "web/province/identity_review.html", context, status=400 if request.method == "POST" else 200
    )
