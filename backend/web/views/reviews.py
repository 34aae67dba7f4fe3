"""Review pages over the reviews services: the buyer's form on the order page, the seller's reply
and the province admin's hide on the product page and in the province console."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.permissions import Act, may
from backend.catalog.listing import rating_row
from backend.core.errors import DomainError
from backend.orders.models import Order
from backend.reviews import selectors, services
from backend.reviews.models import Review
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place
from backend.web.forms.reviews import HideForm, ReplyForm, ReviewForm
from backend.web.views.common import PageWindow, flash_domain_error, page_number
from backend.web.views.province import admin_required
from backend.web.views.seller import portal_render, staff_seller

PAGE_SIZE = 20


def review_list_context(request: HttpRequest, reviews: list[Review], *, seller_id: int) -> dict[str, Any]:
    """What the review list partial needs: the reviews, and the reply/hide forms the viewer may use."""
    place = seller_place(seller_id)
    return {
        "reviews": reviews,
        "can_reply": may(request.user, Act.REVIEW_REPLY, place),
        "can_hide": may(request.user, Act.REVIEW_HIDE, place),
        "reply_form": ReplyForm(),
        "hide_form": HideForm(),
    }


def order_review_context(request: HttpRequest, order: Order) -> dict[str, Any]:
    """The order page's review part: the lines its buyer may review now, and their reviews."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or order.user_id != user.pk:
        return {"review_lines": [], "my_reviews": []}
    lines = [line for line in selectors.lines_to_review(user=user) if line.seller_order.order_id == order.pk]
    mine = list(
        Review.objects.filter(order_line__seller_order__order=order, author_id=user.pk)
        .select_related("product")
        .prefetch_related("photos")
    )
    editable_until = timezone.now() - timedelta(days=settings.REVIEW_EDIT_DAYS)
    for review in mine:
        review.editable = review.hidden_at is None and review.created_at >= editable_until  # type: ignore[attr-defined]
    return {"review_lines": lines, "my_reviews": mine, "review_form": ReviewForm()}


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    return HttpResponseRedirect(target if target.startswith("/") and not target.startswith("//") else fallback)


@require_POST
def review_write(request: HttpRequest, token: str, line_id: int) -> HttpResponse:
    """The buyer's review of one line of the order `token` (photos from the file input)."""
    order_url = reverse("web:order", args=[token]) + "#reviews"
    line = selectors.line_get(pk=line_id)
    if line is None or str(line.seller_order.order.token) != token:
        raise Http404("no such line")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose 1 to 5 stars."))
        return HttpResponseRedirect(order_url)
    try:
        services.review_create(
            line=line,
            actor=request.user,
            stars=form.cleaned_data["stars"],
            text=form.cleaned_data["text"],
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Thank you! Your review is published."))
    return HttpResponseRedirect(order_url)


@require_POST
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's edit (stars, text, more photos) within REVIEW_EDIT_DAYS; the old text is kept."""
    review = _review(pk)
    token = str(review.order_line.seller_order.order.token)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose 1 to 5 stars."))
        services.review_update(
            review=review,
            actor=request.user,
            stars=form.cleaned_data["stars"],
            text=form.cleaned_data["text"],
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Your review is updated."))
    return HttpResponseRedirect(reverse("web:order", args=[token]) + "#reviews")


def _review(pk: int) -> Review:
    review = selectors.review_get(pk=pk)
    if review is None:
        raise Http404("no such review")
    return review


@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Write your reply."))
        services.review_reply(review=review, actor=request.user, text=form.cleaned_data["text"])
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Your reply is published."))
    return _back(request, reverse("web:product", args=[review.product.slug]) + "#reviews")


@require_POST
def review_hide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a listed reason."))
        services.review_hide(
            review=review, actor=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("The review is hidden by moderation."))
    return _back(request, reverse("web:product", args=[review.product.slug]) + "#reviews")


@admin_required
@require_GET
def province_reviews(request: HttpRequest) -> HttpResponse:
    """The province console's reviews: newest first, flagged ones (self-reviews) marked."""
    found = selectors.reviews_for_moderation(user=request.user)
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=found.count())
    context = {
        "reviews": list(found[window.offset : window.offset + PAGE_SIZE]),
        "window": window,
        "hide_form": HideForm(),
        "can_hide": True,
        "section": "reviews",
    }
    return render(request, "web/province/reviews.html", context)


@staff_seller
@require_GET
def seller_reviews_page(request: HttpRequest, seller: Seller) -> HttpResponse:
    """The seller portal's reviews, newest first, each with its reply form until answered."""
    found = selectors.seller_reviews(seller_id=seller.pk).select_related("product")
    window = PageWindow(number=page_number(request), size=PAGE_SIZE, total=found.count())
    rating = rating_row(
        count=seller.rating_count,
        total=seller.rating_sum,
        stars=seller.rating_stars,
        score=seller.rating_score,
        sold=seller.sold_12m,
    )
    context = {
        **review_list_context(request, list(found[window.offset : window.offset + PAGE_SIZE]), seller_id=seller.pk),
        "rating": rating,
        "sold": seller.sold_12m,
        "window": window,
        "section": "reviews",
    }
    return portal_render(request, seller, "web/seller/reviews.html", context)
