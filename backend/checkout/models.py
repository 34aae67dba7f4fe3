"""Checkout: a buyer's cart across sellers, its stock reservations and the sellers' delivery methods.

A line holds its variant's stock while `reserved_until` is in the future and the checkout is not
completed; `quantityAvailable` subtracts those live holds (see `backend.checkout.reservations`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    OWN_DELIVERY = "OWN_DELIVERY", _("Own delivery within the province")
    PICKUP = "PICKUP", _("Pickup")
    CARRIER = "CARRIER", _("Carrier")


class DeliveryMethod(models.Model):
    """One way a seller hands goods over, with its fee rule.

    OWN_DELIVERY: `price` inside the seller's commune, `price_other_commune` elsewhere in the province
    (not offered outside it). PICKUP: `price` (usually 0) at `pickup_address`. CARRIER: `price` for the
    first kilogram plus `price_per_kg` for each further kilogram started.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="delivery_methods")
    kind = models.CharField(_("kind"), max_length=16, choices=DeliveryKind.choices)
    name = models.CharField(_("name"), max_length=120)
    price = models.BigIntegerField(_("fee (đồng)"), default=0, validators=[MinValueValidator(0)])
    price_other_commune = models.BigIntegerField(
        _("fee to another commune (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    price_per_kg = models.BigIntegerField(_("fee per further kg (đồng)"), default=0, validators=[MinValueValidator(0)])
    pickup_address = models.CharField(_("pickup address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["seller_id", "position", "id"]
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0, price_other_commune__gte=0, price_per_kg__gte=0),
                name="delivery_method_fees_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Checkout(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="checkouts"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Shipping address (post-2025 commune).
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    street = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # seller id (as a string) -> chosen DeliveryMethod id
    delivery_choices = models.JSONField(default=dict, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")

    def __str__(self) -> str:
        return str(self.token)

    @property
    def has_address(self) -> bool:
        return bool(self.full_name and self.phone and self.street and self.commune_id)

    @property
    def has_contact(self) -> bool:
        """Enough for bookings only: who comes, and how to reach them."""
        return bool(self.full_name and self.phone)


class CheckoutLine(models.Model):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, null=True, blank=True, related_name="checkout_lines"
    )
    # A booking line holds places in an experience slot instead of stock: `quantity` is the number
    # of people, `participants` how many of each participant type ({"adult": 2, "child": 1}).
    slot = models.ForeignKey(
        "experiences.Slot", on_delete=models.CASCADE, null=True, blank=True, related_name="checkout_lines"
    )
    participants = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    # The hold on the variant's stock (or the slot's places); None once released or completed.
    reserved_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="checkout_line_one_per_variant"),
            models.UniqueConstraint(fields=["checkout", "slot"], name="checkout_line_one_per_slot"),
            models.CheckConstraint(
                condition=models.Q(variant__isnull=True) | models.Q(slot__isnull=True),
                name="checkout_line_goods_or_slot",
            ),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="checkout_line_quantity_positive"),
        ]
        indexes = [
            # Live holds of a variant: WHERE variant_id IN (...) AND reserved_until > now.
            models.Index(
                fields=["variant", "reserved_until"],
                name="checkout_line_live_hold",
                condition=models.Q(reserved_until__isnull=False),
            ),
            models.Index(
                fields=["slot", "reserved_until"],
                name="checkout_line_live_slot_hold",
                condition=models.Q(reserved_until__isnull=False, slot__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id or f'slot {self.slot_id}'}"
