"""Seller portal (`/seller/`): applying, the seller's dashboard and its products.

Designed for a 360–400 px phone first. Every page is for the seller's staff only (`staff_seller`);
every change goes through the catalog and seller services, which check the staff again.
Orders, payouts and staff are in `seller_orders`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.catalog.listing import product_listing
from backend.catalog.models import Product, ProductKind, ProductVariant
from backend.catalog.selectors import ProductFilters, categories_list, filter_products, sort_products, visible_products
from backend.catalog.services import (
    ProductData,
    VariantData,
    product_create,
    product_image_upload,
    product_publish,
    product_unpublish,
    product_update,
    variant_create,
    variant_update,
)
from backend.core.errors import DomainError
from backend.experiences.services import experience_of
from backend.orders import ledger
from backend.orders.models import SellerOrderStatus
from backend.orders.selectors import seller_order_queue
from backend.regions.selectors import communes_list
from backend.regions.served import commune_label, served_communes
from backend.sellers.models import Seller
from backend.sellers.selectors import sellers_of_user
from backend.sellers.services import seller_apply
from backend.web import uploads
from backend.web.forms.seller import (
    APPLY_FIELDS,
    PHOTO_FIELDS,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    ApplyForm,
    PhotoForm,
    ProductForm,
    VariantForm,
)
from backend.web.views.common import (
    PageWindow,
    ViewFunc,
    add_domain_errors,
    flash_domain_error,
    login_required,
    page_number,
)

LOW_STOCK = 5
PAGE_SIZE = 30


def staff_seller(view: Callable[..., HttpResponse]) -> ViewFunc:
    """Resolve `seller_id` to one of the user's sellers (404 for anyone else's) and pass it on."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, seller_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        seller = sellers_of_user(user=request.user).filter(pk=seller_id).first()
        if seller is None:
            raise Http404("not your seller")
        return view(request, seller, *args, **kwargs)

    return wrapper


def portal_render(
    request: HttpRequest, seller: Seller | None, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"seller": seller, **context}, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's sellers with their status and the admin's reason; one seller goes straight in."""
    sellers = list(sellers_of_user(user=request.user))
    if len(sellers) == 1 and request.GET.get("all") != "1":
        return HttpResponseRedirect(reverse("seller:dashboard", args=[sellers[0].pk]))
    return portal_render(request, None, "web/seller/home.html", {"sellers": sellers})


def _commune_choices() -> list[tuple[int, str]]:
    return [(c.pk, commune_label(c)) for c in served_communes()]


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST or None, communes=_commune_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commune = communes_list().filter(pk=data["commune"]).first()
        try:
            if commune is None:
                raise Http404("no such commune")
            created = seller_apply(
                applicant=request.user,  # type: ignore[arg-type]  # login_required: a User
                name=data["name"],
                kind=data["kind"],
                commune=commune,
                phone=data["phone"],
                tax_code=data["tax_code"],
                description=data["description"],
                address=data["address"],
                email=data["email"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, APPLY_FIELDS)
        else:
            messages.success(request, _("Application sent: a province officer will review it."))
            return HttpResponseRedirect(reverse("seller:dashboard", args=[created.pk]))
    status = 400 if request.method == "POST" else 200
    return portal_render(request, None, "web/seller/apply.html", {"form": form}, status=status)


@staff_seller
@require_GET
def dashboard(request: HttpRequest, seller: Seller) -> HttpResponse:
    context = {
        "new_orders": seller_order_queue(seller_id=seller.pk, status=SellerOrderStatus.UNCONFIRMED).count(),
        "to_fulfil": seller_order_queue(seller_id=seller.pk, status=SellerOrderStatus.CONFIRMED).count(),
        "balance": ledger.balance(seller=seller),
        "section": "dashboard",
    }
    return portal_render(request, seller, "web/seller/dashboard.html", context)


def _own_products(request: HttpRequest, seller: Seller) -> Any:
    return filter_products(visible_products(user=request.user), ProductFilters(seller_id=seller.pk))


@staff_seller
@require_GET
def products(request: HttpRequest, seller: Seller) -> HttpResponse:
    number = page_number(request)
    rows, total = product_listing(
        sort_products(_own_products(request, seller)), offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    for row in rows:
        variants = row["page"].variants(row["pk"])
        row["stock"] = sum(v["stock"] for v in variants)
        row["low_stock"] = [v for v in variants if v["stock"] <= LOW_STOCK]
    context = {
        "rows": rows,
        "window": PageWindow(number=number, size=PAGE_SIZE, total=total),
        "low_stock": LOW_STOCK,
        "section": "products",
    }
    return portal_render(request, seller, "web/seller/products.html", context)


def _categories(kind: str = ProductKind.GOODS) -> Any:
    return categories_list().filter(kind=kind)


def _product_data(form: ProductForm, kind: str = ProductKind.GOODS) -> ProductData:
    data = form.cleaned_data
    return ProductData(
        name=data["name"],
        category=data["category"],
        kind=kind,
        description=data["description"],
        ocop_stars=data["ocop_stars"],
        ocop_certificate_no=data["ocop_certificate_no"],
        harvest_months=list(data["harvest_months"]),
        storage_notes=data["storage_notes"],
        shipping_notes=data["shipping_notes"],
        tax_category=data.get("tax_category") or "",
    )


def _variant_data(form: VariantForm) -> VariantData:
    data = form.cleaned_data
    return VariantData(
        sku=data["sku"],
        name=data["variant_name"],
        price=data["price"],
        stock=data["stock"],
        weight_grams=data["weight_grams"],
        unit=data["unit"],
        generate_sku=True,
    )


class _Failed(Exception):
    def __init__(self, form: Any, fields: dict[str, str], error: DomainError) -> None:
        super().__init__(str(error))
        self.form, self.fields, self.error = form, fields, error


def _save_new_product(
    request: HttpRequest,
    seller: Seller,
    kind: str,
    forms: tuple[ProductForm, VariantForm | None, PhotoForm],
    kept: list[uploads.StagedFile],
) -> Product:
    """The product, its first variant and its photos in one transaction: all saved, or nothing
    (`_Failed` names the form whose service refused)."""
    form, variant, photo = forms
    with transaction.atomic():
        try:
            created = product_create(seller=seller, actor=request.user, data=_product_data(form, kind))
        except DomainError as exc:
            raise _Failed(form, PRODUCT_FIELDS, exc) from exc
        try:
            if variant is not None:
                variant_create(product=created, actor=request.user, data=_variant_data(variant))
            else:
                experience_of(created)  # the set-up page edits this row
        except DomainError as exc:
            raise _Failed(variant, VARIANT_FIELDS, exc) from exc
        try:
            for upload in [*(file.as_upload() for file in kept), *photo.cleaned_data["photo"]]:
                alt = photo.cleaned_data["alt"]
                product_image_upload(product=created, actor=request.user, upload=upload, alt=alt)
        except DomainError as exc:
            raise _Failed(photo, PHOTO_FIELDS, exc) from exc
    return created


@staff_seller
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest, seller: Seller) -> HttpResponse:
    """One form for the product, its first variant and its photos: a phone user fills it in one go,
    and a validation error keeps everything (the photos already sent wait on the server).

    `kind=experience` (a link on the page, then a hidden field) makes a tour or workshop instead:
    experience categories, no variant or stock, and the experience set-up page next, where the
    participant prices are set before publishing.
    """
    post = request.POST if request.method == "POST" else None
    is_experience = (post or request.GET).get("kind", "").lower() == "experience"
    kind = ProductKind.EXPERIENCE if is_experience else ProductKind.GOODS
    form = ProductForm(post, categories=_categories(kind))
    variant = None if is_experience else VariantForm(post, prefix="v")
    photo = PhotoForm(post, request.FILES or None, prefix="p")
    forms = (form, variant, photo)
    kept = uploads.staged(user_id=request.user.pk, tokens=post.getlist("p-staged")) if post is not None else []
    if post is not None:
        photos_ok = photo.is_valid()
        if all([form.is_valid(), variant is None or variant.is_valid(), photos_ok]):
            try:
                created = _save_new_product(request, seller, kind, forms, kept)
            except _Failed as failed:
                add_domain_errors(failed.form, failed.error, failed.fields)
                photos_ok = failed.form is not photo
            else:
                uploads.discard(kept)
                if is_experience:
                    messages.success(request, _("Saved as a draft. Set the participant prices, then publish it."))
                    return HttpResponseRedirect(reverse("seller:experience", args=[seller.pk, created.pk]))
                messages.success(request, _("Saved as a draft. Publish it when it is ready."))
                return HttpResponseRedirect(reverse("seller:product", args=[seller.pk, created.pk]))
        if photos_ok:  # keep what was sent for the next try
            kept += [
                uploads.stage(user_id=request.user.pk, content=upload, original_name=upload.name)
                for upload in photo.cleaned_data.get("photo") or []
            ]
    context = {
        "form": form,
        "variant_form": variant,
        "photo_form": photo,
        "kept_photos": kept,
        "kind": "experience" if is_experience else "goods",
        "section": "products",
    }
    status = 400 if post is not None else 200
    return portal_render(request, seller, "web/seller/product_new.html", context, status=status)


def own_product(request: HttpRequest, seller: Seller, pk: int) -> Product:
    product = _own_products(request, seller).select_related("seller", "category").filter(pk=pk).first()
    if product is None:
        raise Http404("not one of this seller's products")
    return product


def _initial(product: Product) -> dict[str, Any]:
    return {
        "name": product.name,
        "category": product.category_id,
        "description": product.description,
        "ocop_stars": product.ocop_stars,
        "ocop_certificate_no": product.ocop_certificate_no,
        "harvest_months": product.harvest_months,
        "storage_notes": product.storage_notes,
        "shipping_notes": product.shipping_notes,
        "tax_category": product.tax_category,
    }


def _variant_initial(variant: ProductVariant) -> dict[str, Any]:
    return {
        "sku": variant.sku,
        "variant_name": variant.name,
        "price": variant.price,
        "stock": variant.stock,
        "weight_grams": variant.weight_grams,
        "unit": variant.unit,
    }


def product_page(
    request: HttpRequest, seller: Seller, product: Product, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    variants = list(product.variants.all())
    context = {
        "product": product,
        "form": forms.get("product") or ProductForm(initial=_initial(product), categories=_categories()),
        "variant_forms": [
            (v, forms.get(f"variant-{v.pk}") or VariantForm(initial=_variant_initial(v), prefix=f"v{v.pk}"))
            for v in variants
        ],
        "new_variant_form": forms.get("new-variant") or VariantForm(prefix="v"),
        "photo_form": forms.get("photo") or PhotoForm(prefix="p"),
        "images": list(product.images.order_by("position", "id")),
        "section": "products",
    }
    return portal_render(request, seller, "web/seller/product_edit.html", context, status=status)


@staff_seller
@require_GET
def product_edit(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    return product_page(request, seller, own_product(request, seller, pk))


def back_to_product(seller: Seller, product: Product, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("seller:product", args=[seller.pk, product.pk]) + anchor)


@staff_seller
@require_POST
def product_save(request: HttpRequest, seller: Seller, pk: int) -> HttpResponse:
    product = own_product(request, seller, pk)
    form = ProductForm(request.POST, categories=_categories())
    if form.is_valid():
        try:
            product_update(product=product, actor=request.user, data=_product_data(form))
        except DomainError as exc:
            add_domain_errors(form, exc, PRODUCT_FIELDS)
        else:
            messages.success(request, _("Saved."))
            return back_to_product(seller, product)
    return product_page(request, seller, product, {"product": form}, status=400)


@staff_seller
@require_POST
def variant_save(request: HttpRequest, seller: Seller, pk: int, variant_id: int | None = None) -> HttpResponse:
    product = own_product(request, seller, pk)
    variant = product.variants.filter(pk=variant_id).first() if variant_id is not None else None
    if variant_id is not None and variant is None:
        raise Http404("no such variant")
    key = f"variant-{variant_id}" if variant is not None else "new-variant"
    form = VariantForm(request.POST, prefix=f"v{variant_id}" if variant is not None else "v")
    if form.is_valid():
        try:
            if variant is not None:
                variant_update(variant=variant, actor=request.user, data=_variant_data(form))
            else:
                variant_create(product=product, actor=request.user, data=_variant_data(form))
        except DomainError as exc:
            add_domain_errors(form, exc, VARIANT_FIELDS)
        else:
            messages.success(request, _("Saved."))
            return back_to_product(seller, product)
    return product_page(request, seller, product, {key: form}, status=400)


@staff_seller
@require_POST
def product_publish_toggle(request: HttpRequest, seller: Seller, pk: int, action: str) -> HttpResponse:
    product = own_product(request, seller, pk)
    try:
        if action == "publish":
            product_publish(product=product, actor=request.user)
            messages.success(request, _("Published: buyers can find it now."))
        else:
            product_unpublish(product=product, actor=request.user)
            messages.success(request, _("Taken off sale."))
    except DomainError as exc:
        flash_domain_error(request, exc)
    if product.kind == ProductKind.EXPERIENCE:
        return HttpResponseRedirect(reverse("seller:experience", args=[seller.pk, product.pk]))
    return back_to_product(seller, product)
