"""The orders app's domain errors (raised by its services, mapped to `errors { code }` by the API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError


class ShippingAddressRequired(DomainError):
    default_code = "SHIPPING_ADDRESS_REQUIRED"
    default_message = _("Enter a shipping address first.")


class DeliveryMethodRequired(DomainError):
    default_code = "DELIVERY_METHOD_REQUIRED"
    default_message = _("Choose a delivery method for every seller.")


class GatewayUnavailable(DomainError):
    default_code = "PAYMENT_GATEWAY_UNAVAILABLE"
    default_message = _("This payment method is not available.")
