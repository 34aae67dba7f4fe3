"""Reviews of delivered goods and attended experiences, their edit history and photos.

One review per order line (a database constraint). A review is never deleted: a seller cannot
hide it; a province admin of the seller's place hides it for a listed reason and it shows as
"hidden by moderation". Revisions are append-only: each edit keeps what the review said before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HideReason(models.TextChoices):
    ABUSE = "ABUSE", _("Abusive language")
    PERSONAL_DATA = "PERSONAL_DATA", _("Personal data")
    OFF_TOPIC = "OFF_TOPIC", _("Off-topic")


class Review(models.Model):
    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="review", verbose_name=_("order line")
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    # What the buyer shows publicly: a first name and an initial, never the full name.
    author_name = models.CharField(_("shown name"), max_length=60)
    # Keyed hash of the order's phone (E.164): one account per phone for reviewing, and a seller's
    # own phone is recognised, without keeping a readable number.
    phone_digest = models.CharField(max_length=64, db_index=True)
    stars = models.PositiveSmallIntegerField(_("stars"))
    text = models.TextField(_("text"), blank=True)
    verified_purchase = models.BooleanField(_("verified purchase"), default=True)
    # Why the early-warning rules look at it ("same phone as the seller", …); empty when nothing.
    suspicion = models.CharField(_("suspicion"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    reply_text = models.TextField(_("seller's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden by moderation at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=20, choices=HideReason.choices, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="review_stars_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["product", "-created_at", "-id"], name="review_product_newest"),
            models.Index(fields=["seller", "-created_at", "-id"], name="review_seller_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.product_id}/{self.pk}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Reviews are never deleted; a province admin hides one.")


class ReviewRevision(models.Model):
    """What a review said before an edit (append-only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.stars}★ until {self.replaced_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Review revisions are append-only.")
        super().save(*args, **kwargs)


class ReviewPhoto(models.Model):
    """A buyer's photo: re-encoded without metadata (EXIF/GPS) and a WebP thumbnail made at upload."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reviews/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.ImageField(upload_to="reviews/thumbnails/", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position", "id"]

    def __str__(self) -> str:
        return self.image.name
