"""Catalog: a category tree, products (goods or experiences), variants and images."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    GOODS = "GOODS", _("Goods")
    EXPERIENCE = "EXPERIENCE", _("Experience")


class TaxCategory(models.TextChoices):
    """What a sale is for the tax withheld on it (Decree 117/2025): blank on a product means "from
    its kind" (goods → GOODS, experience → SERVICE); the rates live in `backend.tax`."""

    GOODS = "GOODS", _("Goods")
    SERVICE = "SERVICE", _("Service")
    TRANSPORT = "TRANSPORT", _("Transport or service tied to goods")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Materialised path of slugs ("trai-cay/dau-tay"): descendants are a prefix match.
    path = models.CharField(max_length=500, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=ProductKind.choices, default=ProductKind.GOODS)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ProductKind.choices, default=ProductKind.GOODS)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=240, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    tax_category = models.CharField(
        _("tax category"),
        max_length=12,
        choices=TaxCategory.choices,
        blank=True,
        default="",
        help_text=_("Blank: goods for goods, service for experiences."),
    )
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="products")
    commune = models.ForeignKey(
        "regions.Commune", on_delete=models.PROTECT, related_name="products", help_text=_("Place of origin")
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"), null=True, blank=True, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    ocop_certificate_no = models.CharField(_("OCOP certificate number"), max_length=50, blank=True)
    harvest_months = models.JSONField(_("harvest season (months 1–12)"), default=list, blank=True)
    storage_notes = models.TextField(_("storage notes"), blank=True)
    shipping_notes = models.TextField(_("shipping notes"), blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by an admin at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Denormalised from the variants (kept by the services) so a listing page
    # can sort and filter by price without touching the variants table.
    price_min = models.BigIntegerField(_("lowest price"), null=True, blank=True, db_index=True)
    price_max = models.BigIntegerField(_("highest price"), null=True, blank=True)
    in_stock = models.BooleanField(_("in stock"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ocop_stars__isnull=True) | models.Q(ocop_stars__gte=3, ocop_stars__lte=5),
                name="product_ocop_stars_3_to_5",
            ),
        ]
        indexes = [
            # Listing orders (newest, price, name) walk these with the id tiebreaker.
            models.Index(fields=["created_at", "id"], name="product_created_id"),
            models.Index(fields=["price_min", "id"], name="product_price_id"),
            models.Index(fields=["name", "id"], name="product_name_id"),
            models.Index(fields=["seller", "is_published"]),
            models.Index(fields=["category", "is_published"]),
            models.Index(fields=["commune", "is_published"]),
            # Counts of public listings (totalCount) read this instead of every product row.
            models.Index(
                fields=["seller"],
                condition=models.Q(is_published=True, hidden_at__isnull=True),
                name="product_public_seller",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CertificationKind(models.TextChoices):
    VIETGAP = "VIETGAP", "VietGAP"
    GLOBALGAP = "GLOBALGAP", "GlobalGAP"
    ORGANIC = "ORGANIC", _("Organic")
    OTHER = "OTHER", _("Other")


class Certification(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("kind"), max_length=12, choices=CertificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    document = models.FileField(_("document"), upload_to="certifications/", blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    verified = models.BooleanField(_("verified by an admin"), default=False)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    # Denormalised from product.seller: SKUs are unique per seller.
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=120, help_text=_('e.g. "Hộp 1 kg"'))
    price = models.BigIntegerField(_("price (đồng)"))
    stock = models.IntegerField(_("stock"), default=0)
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_('e.g. "kg", "hộp"'))
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="variant_sku_unique_per_seller"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="variant_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.name}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt = models.CharField(_("alternative text"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt or self.image.name


class Thumbnail(models.Model):
    """A WebP rendition of an image at one allowed size, made once and kept."""

    image = models.ForeignKey(ProductImage, on_delete=models.CASCADE, related_name="thumbnails")
    size = models.PositiveIntegerField()
    file = models.ImageField(upload_to="thumbnails/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "size"], name="thumbnail_once_per_size")]

    def __str__(self) -> str:
        return f"{self.image_id}@{self.size}"
