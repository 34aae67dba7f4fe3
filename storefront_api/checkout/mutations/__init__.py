"""Checkout mutations: one module per mutation."""

import graphene

from storefront_api.checkout.mutations.checkout_booking_add import CheckoutBookingAdd
from storefront_api.checkout.mutations.checkout_complete import CheckoutComplete
from storefront_api.checkout.mutations.checkout_contact_update import CheckoutContactUpdate
from storefront_api.checkout.mutations.checkout_create import CheckoutCreate
from storefront_api.checkout.mutations.checkout_delivery_method_update import CheckoutDeliveryMethodUpdate
from storefront_api.checkout.mutations.checkout_line_delete import CheckoutLineDelete
from storefront_api.checkout.mutations.checkout_lines_add import CheckoutLinesAdd
from storefront_api.checkout.mutations.checkout_lines_update import CheckoutLinesUpdate
from storefront_api.checkout.mutations.checkout_shipping_address_update import CheckoutShippingAddressUpdate


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field(required=True)
    checkout_lines_add = CheckoutLinesAdd.Field(required=True)
    checkout_lines_update = CheckoutLinesUpdate.Field(required=True)
    checkout_line_delete = CheckoutLineDelete.Field(required=True)
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field(required=True)
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field(required=True)
    checkout_booking_add = CheckoutBookingAdd.Field(required=True)
    checkout_contact_update = CheckoutContactUpdate.Field(required=True)
    checkout_complete = CheckoutComplete.Field(required=True)
