"""Write side of the catalog: products, variants, images, publishing.

Every service checks first that the actor works for the product's seller
(`ensure_may` with the `product.edit` / `product.stock` acts), validates everything it can in one go (all field
errors together), runs in one transaction, and keeps the product's
denormalised price range and stock flag in step with its variants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog import images
from backend.catalog.models import Category, Product, ProductImage, ProductKind, ProductVariant, TaxCategory
from backend.core.errors import ErrorDetail, NotFound, ValidationFailed
from backend.core.text import first_free_slug, slug_from
from backend.moderation.services import audit_record
from backend.outbox.services import enqueue
from backend.regions.models import Commune
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place

OCOP_STARS = range(3, 6)
_SLUG_MAX = 200
_SLUG_ATTEMPTS = 5


@dataclass(frozen=True)
class ProductData:
    name: str
    category: Category
    kind: str
    description: str = ""
    commune: Commune | None = None  # defaults to the seller's commune
    ocop_stars: int | None = None
    ocop_certificate_no: str = ""
    harvest_months: list[int] = field(default_factory=list)
    storage_notes: str = ""
    shipping_notes: str = ""
    # Blank: from the kind (goods → GOODS, experience → SERVICE); see backend.tax.
    tax_category: str = ""


@dataclass(frozen=True)
class VariantData:
    sku: str
    name: str
    price: int
    stock: int
    weight_grams: int | None = None
    unit: str = ""
    # An empty SKU gets a free one of the seller's ("SP123-2") instead of an error (the web forms).
    generate_sku: bool = False


class _Errors:
    """Collects field errors so a form shows all of them at once."""

    def __init__(self) -> None:
        self.details: list[ErrorDetail] = []

    def add(self, field_name: str, message: str | Promise, code: str = "INVALID") -> None:
        self.details.append(ErrorDetail(code=code, message=message, field=field_name))

    def raise_any(self) -> None:
        if self.details:
            raise ValidationFailed(details=self.details)


def unique_slug(name: str, *, fallback: str = "san-pham") -> str:
    """A free product slug from a (Vietnamese) name: "Dâu tây Đà Lạt" → "dau-tay-da-lat", then "-2", "-3"…"""
    base = slug_from(name, max_length=_SLUG_MAX, fallback=fallback)
    taken = set(Product.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list("slug", flat=True))
    return first_free_slug(base, taken)


def _clean_product(data: ProductData, errors: _Errors) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name:
        errors.add("name", _("Enter a name."), code="REQUIRED")
    elif len(name) > 200:
        errors.add("name", _("The name is too long (at most 200 characters)."))
    if data.kind != data.category.kind:
        errors.add("category", _("This category does not fit the product's kind (goods or experience)."))
    if data.ocop_stars is not None and data.ocop_stars not in OCOP_STARS:
        errors.add("ocopStars", _("OCOP stars must be 3, 4 or 5 (leave empty when not certified)."))
    certificate = (data.ocop_certificate_no or "").strip()
    if len(certificate) > 50:
        errors.add("ocopCertificateNo", _("The certificate number is too long (at most 50 characters)."))
    months = sorted(set(data.harvest_months or []))
    if any(month < 1 or month > 12 for month in months):
        errors.add("harvestMonths", _("Harvest months are numbers from 1 to 12."))
    tax_category = (data.tax_category or "").strip().upper()
    if tax_category and tax_category not in TaxCategory.values:
        errors.add("taxCategory", _("Choose goods, service or transport (or leave it empty)."))
    return {
        "name": name,
        "description": (data.description or "").strip(),
        "category": data.category,
        "kind": data.kind,
        "ocop_stars": data.ocop_stars,
        "ocop_certificate_no": certificate,
        "harvest_months": months,
        "storage_notes": (data.storage_notes or "").strip(),
        "shipping_notes": (data.shipping_notes or "").strip(),
        "tax_category": tax_category,
    }


@transaction.atomic
def product_create(*, seller: Seller, actor: Any, data: ProductData) -> Product:
    """Create an unpublished product of `seller`; only its staff may."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(seller))
    errors = _Errors()
    values = _clean_product(data, errors)
    errors.raise_any()
    product = Product(seller=seller, commune=data.commune or seller.commune, is_published=False, **values)
    for attempt in range(_SLUG_ATTEMPTS):
        product.slug = unique_slug(product.name)
        try:
            with transaction.atomic():
                product.save()
            break
        except IntegrityError:  # the slug was taken meanwhile
            if attempt == _SLUG_ATTEMPTS - 1:
                raise
    _ensure_experience(product)
    return product


def _ensure_experience(product: Product) -> None:
    """An experience always has its details row (duration, prices, policy…), ready to set up."""
    if product.kind == ProductKind.EXPERIENCE:
        # Inside: catalog sits below experiences (KNOWN_UPWARD in tests/test_architecture.py).
        from backend.experiences.models import Experience

        Experience.objects.get_or_create(product=product)


@transaction.atomic
def product_update(*, product: Product, actor: Any, data: ProductData) -> Product:
    """Replace a product's details. The slug stays, so shared links keep working."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    errors = _Errors()
    values = _clean_product(data, errors)
    errors.raise_any()
    for name, value in values.items():
        setattr(product, name, value)
    if data.commune is not None:
        product.commune = data.commune
    product.save()
    _ensure_experience(product)
    return product


@transaction.atomic
def product_publish(*, product: Product, actor: Any) -> Product:
    """Put a product on sale. It needs at least one variant (a price)."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.kind == ProductKind.EXPERIENCE:
        # Inside: catalog sits below experiences (KNOWN_UPWARD in tests/test_architecture.py).
        from backend.experiences.models import ParticipantType

        if not ParticipantType.objects.filter(experience__product=product).exists():
            raise ValidationFailed(
                _("Add at least one participant type with a price before publishing."), field="participantTypes"
            )
    elif not product.variants.exists():
        raise ValidationFailed(_("Add at least one variant with a price before publishing."), field="variants")
    if not product.is_published:
        product.is_published = True
        product.published_at = product.published_at or timezone.now()
        product.save(update_fields=["is_published", "published_at", "updated_at"])
    return product


@transaction.atomic
def product_unpublish(*, product: Product, actor: Any) -> Product:
    """Take a product off sale (it stays visible to the seller's staff)."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.is_published:
        product.is_published = False
        product.save(update_fields=["is_published", "updated_at"])
    return product


@transaction.atomic
def product_image_upload(*, product: Product, actor: Any, upload: IO[bytes], alt: str = "") -> ProductImage:
    """Add an image after checking and cleaning it (see `images.clean_upload`).

    Thumbnails of every allowed size are rendered after commit (by a worker
    when Celery has a broker).
    """
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    alt = (alt or "").strip()
    if len(alt) > 200:
        raise ValidationFailed(_("The alternative text is too long (at most 200 characters)."), field="alt")
    if upload is None or not hasattr(upload, "read"):
        raise ValidationFailed(_("Attach an image file."), field="image", code="REQUIRED")
    clean = images.clean_upload(upload, size=getattr(upload, "size", None))
    last = product.images.aggregate(last=Max("position"))["last"]
    image = ProductImage(product=product, alt=alt, position=0 if last is None else last + 1)
    image.image.save(images.stored_name(clean.extension), ContentFile(clean.content), save=False)
    image.width, image.height = clean.width, clean.height  # set after the file, which resets them
    image.save()
    product.save(update_fields=["updated_at"])

    enqueue(kind="catalog.thumbnails", key=f"catalog.thumbnails:{image.pk}", payload={"image_id": image.pk})
    return image


@transaction.atomic
def product_images_reorder(*, product: Product, actor: Any, image_ids: list[int]) -> list[ProductImage]:
    """Put the product's images in this order (the first is the main photo of cards and pages)."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    current = {image.pk: image for image in product.images.select_for_update().order_by("position", "id")}
    if sorted(image_ids) != sorted(current):
        raise ValidationFailed(_("List every photo of the product once."), field="images")
    for position, pk in enumerate(image_ids):
        image = current[pk]
        if image.position != position:
            image.position = position
            image.save(update_fields=["position"])
    product.save(update_fields=["updated_at"])
    return [current[pk] for pk in image_ids]


@transaction.atomic
def product_image_delete(*, product: Product, actor: Any, image_id: int) -> None:
    """Remove one of the product's images (its file and thumbnails go with it)."""
    ensure_may(actor=actor, act=Act.PRODUCT_EDIT, place=seller_place(product.seller_id))
    image = product.images.select_for_update().filter(pk=image_id).first()
    if image is None:
        raise NotFound(_("This photo is not one of the product's."), field="image")
    storage = image.image.storage
    names = [image.image.name, *(thumb.file.name for thumb in image.thumbnails.all())]
    image.delete()
    product.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])


def refresh_product_pricing(product: Product) -> Product:
    """Recompute the denormalised price range and stock flag from the variants.

    Call inside the transaction that changed the variants (or their stock).
    """
    figures = ProductVariant.objects.filter(product_id=product.pk).aggregate(
        low=Min("price"), high=Max("price"), stocked=Count("id", filter=Q(stock__gt=0))
    )
    product.price_min = figures["low"]
    product.price_max = figures["high"]
    product.in_stock = figures["stocked"] > 0
    product.save(update_fields=["price_min", "price_max", "in_stock", "updated_at"])
    return product


# --- stock, for the orders app (the catalog owns the variants' stock) -------------------------


def lock_for_stock(variant_ids: Iterable[int]) -> dict[int, ProductVariant]:
    """Lock the variants' products in id order, then the variants in id order, and return the
    variants. `variant_update` locks a product, then its variant, and refreshing the product's price
    range after a stock change must take the same rows in the same order, or PostgreSQL aborts one
    side with a deadlock."""
    ids = sorted(set(variant_ids))
    product_ids = sorted(set(ProductVariant.objects.filter(pk__in=ids).values_list("product_id", flat=True)))
    list(Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk").values_list("pk", flat=True))
    return {v.pk: v for v in ProductVariant.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def stock_take(*, variants: Mapping[int, ProductVariant], quantities: Sequence[tuple[int, int]]) -> None:
    """Take sold quantities from variants locked by `lock_for_stock` (the caller checked they are
    there), then refresh their products' price range and stock flag."""
    for variant_id, quantity in quantities:
        variant = variants[variant_id]
        variant.stock -= quantity
        variant.save(update_fields=["stock", "updated_at"])
    for product in Product.objects.filter(pk__in={v.product_id for v in variants.values()}):
        refresh_product_pricing(product)


def stock_return(*, quantities: Sequence[tuple[int, int]]) -> None:
    """Give quantities back to their variants (a cancelled or returned order), under the stock lock
    order, then refresh the products."""
    ids = sorted({variant_id for variant_id, _quantity in quantities})
    lock_for_stock(ids)
    for variant_id, quantity in quantities:
        ProductVariant.objects.filter(pk=variant_id).update(stock=F("stock") + quantity)
    for product in Product.objects.filter(variants__pk__in=ids).distinct():
        refresh_product_pricing(product)


def free_sku(*, seller_id: int, product_id: int) -> str:
    """The first "SP<product>-<n>" code the seller does not use yet."""
    base = f"SP{product_id}-"
    taken = set(ProductVariant.objects.filter(seller_id=seller_id, sku__startswith=base).values_list("sku", flat=True))
    return next(f"{base}{n}" for n in range(1, len(taken) + 2) if f"{base}{n}" not in taken)


def _clean_variant(
    data: VariantData, *, seller_id: int, exclude_pk: int | None, product_id: int | None = None
) -> dict[str, Any]:
    errors = _Errors()
    sku = (data.sku or "").strip()
    name = (data.name or "").strip()
    unit = (data.unit or "").strip()
    if not sku and data.generate_sku and product_id is not None:
        sku = free_sku(seller_id=seller_id, product_id=product_id)
    if not sku:
        errors.add("sku", _("Enter a SKU."), code="REQUIRED")
    elif len(sku) > 64:
        errors.add("sku", _("The SKU is too long (at most 64 characters)."))
    else:
        same = ProductVariant.objects.filter(seller_id=seller_id, sku=sku)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors.add("sku", _("Another variant of this seller already uses this SKU."), code="UNIQUE")
    if not name:
        errors.add("name", _("Enter a name."), code="REQUIRED")
    elif len(name) > 120:
        errors.add("name", _("The name is too long (at most 120 characters)."))
    if len(unit) > 30:
        errors.add("unit", _("The unit is too long (at most 30 characters)."))
    if not isinstance(data.price, int) or data.price < 0:
        errors.add("price", _("The price must be a whole number of đồng, zero or more."))
    if not isinstance(data.stock, int) or data.stock < 0:
        errors.add("stock", _("Stock cannot be negative."))
    if data.weight_grams is not None and data.weight_grams < 0:
        errors.add("weightGrams", _("The weight cannot be negative."))
    errors.raise_any()
    return {
        "sku": sku,
        "name": name,
        "unit": unit,
        "price": data.price,
        "stock": data.stock,
        "weight_grams": data.weight_grams,
    }


def _save_variant(variant: ProductVariant) -> None:
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError:  # a concurrent request took the SKU between check and insert
        raise ValidationFailed(
            _("Another variant of this seller already uses this SKU."), field="sku", code="UNIQUE"
        ) from None


@transaction.atomic
def variant_create(*, product: Product, actor: Any, data: VariantData) -> ProductVariant:
    """Add a variant (size, pack, ticket type…) with its price in đồng and stock."""
    ensure_may(actor=actor, act=Act.PRODUCT_STOCK, place=seller_place(product.seller_id))
    product = Product.objects.select_for_update().get(pk=product.pk)
    values = _clean_variant(data, seller_id=product.seller_id, exclude_pk=None, product_id=product.pk)
    last = product.variants.aggregate(last=Max("position"))["last"]
    variant = ProductVariant(
        product=product, seller_id=product.seller_id, position=0 if last is None else last + 1, **values
    )
    _save_variant(variant)
    refresh_product_pricing(product)
    return variant


@transaction.atomic
def variant_update(*, variant: ProductVariant, actor: Any, data: VariantData) -> ProductVariant:
    """Change a variant's SKU, name, price, stock or weight."""
    product = variant.product
    ensure_may(actor=actor, act=Act.PRODUCT_STOCK, place=seller_place(product.seller_id))
    product = Product.objects.select_for_update().get(pk=product.pk)
    variant = ProductVariant.objects.select_for_update().get(pk=variant.pk)
    values = _clean_variant(data, seller_id=product.seller_id, exclude_pk=variant.pk, product_id=product.pk)
    for name, value in values.items():
        setattr(variant, name, value)
    _save_variant(variant)
    refresh_product_pricing(product)
    return variant


def category_save(category: Category) -> Category:
    """Save a category (admin), keeping its path and its descendants' paths right."""
    with transaction.atomic():
        old_path = Category.objects.filter(pk=category.pk).values_list("path", flat=True).first()
        category.path = f"{category.parent.path}/{category.slug}" if category.parent else category.slug
        if old_path and category.path.startswith(f"{old_path}/"):
            raise ValidationFailed(_("A category cannot be moved under itself."), field="parent")
        category.save()
        if old_path and old_path != category.path:
            for child in Category.objects.filter(path__startswith=f"{old_path}/").order_by("path"):
                child.path = category.path + child.path[len(old_path) :]
                child.save(update_fields=["path"])
    return category


def product_import_create(
    *,
    actor: Any,
    seller: Seller,
    category: Category,
    name: str,
    sku: str,
    variant_name: str,
    price: int,
    stock: int,
    unit: str,
    taken_skus: set[str],
) -> Product:
    """A legacy product with its one variant from a province import (`backend.reports.imports`,
    which checks the importer and validates the row): created unpublished, audited. `taken_skus`
    are the seller's SKUs so far (this one is added); a taken or empty SKU becomes IMP-<id>."""
    product = Product.objects.create(
        kind=category.kind,
        name=name,
        slug=unique_slug(name),
        category=category,
        seller=seller,
        commune=seller.commune,
        is_published=False,
    )
    code = sku if sku and sku not in taken_skus else f"IMP-{product.pk}"
    taken_skus.add(code)
    ProductVariant.objects.create(
        product=product, seller=seller, sku=code, name=variant_name, price=price, stock=stock, unit=unit
    )
    refresh_product_pricing(product)
    audit_record(actor=actor, action="product.import", target=product)
    return product
