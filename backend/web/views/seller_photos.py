"""Seller portal: a product's photos (several at once, with a preview), their order and removal.

The first photo is the product's main photo on cards and pages. Every change goes through the
catalog services (`product_image_upload`, `product_images_reorder`, `product_image_delete`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.catalog.services import product_image_delete, product_image_upload, product_images_reorder
from backend.core.errors import DomainError
from backend.sellers.models import Seller
from backend.web.forms.seller import PHOTO_FIELDS, PhotoForm
from backend.web.views.common import add_domain_errors, flash_domain_error
from backend.web.views.seller import back_to_product, own_product, product_page, staff_seller


@staff_seller
@require_POST
def photo_upload(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    product = own_product(request, seller, pk)
    form = PhotoForm(request.POST, request.FILES, prefix="p")
    if form.is_valid() and not form.cleaned_data["photo"]:
        form.add_error("photo", _("Choose at least one photo."))
    if form.is_valid():
        added = 0
        try:
            for upload in form.cleaned_data["photo"]:
                product_image_upload(product=product, actor=request.user, upload=upload, alt=form.cleaned_data["alt"])
                added += 1
        except DomainError as exc:
            add_domain_errors(form, exc, PHOTO_FIELDS)
        else:
            messages.success(request, ngettext("%(n)s photo added.", "%(n)s photos added.", added) % {"n": added})
            return back_to_product(seller, product)
    return product_page(request, seller, product, {"photo": form}, status=400)


@staff_seller
@require_POST
def photo_move(request: HttpRequest, seller: Seller, pk: int, image_id: int, direction: str) -> HttpResponse:
    """One place earlier (`up`, `first`) or later (`down`) in the product's photos."""
    product = own_product(request, seller, pk)
    order = list(product.images.order_by("position", "id").values_list("pk", flat=True))
    if image_id in order:
        index = order.index(image_id)
        order.pop(index)
        target = {"up": max(index - 1, 0), "down": min(index + 1, len(order)), "first": 0}.get(direction, index)
        order.insert(target, image_id)
        try:
            product_images_reorder(product=product, actor=request.user, image_ids=order)
        except DomainError as exc:
            flash_domain_error(request, exc)
    return back_to_product(seller, product, "#photos")


@staff_seller
@require_POST
def photo_delete(request: HttpRequest, seller: Seller, pk: int, image_id: int) -> HttpResponse:
    product = own_product(request, seller, pk)
    try:
        product_image_delete(product=product, actor=request.user, image_id=image_id)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Photo removed."))
    return back_to_product(seller, product, "#photos")
