"""Commune helper mutations, one per module."""

import graphene

from storefront_api.helpers.mutations.helper_appoint import HelperAppoint
from storefront_api.helpers.mutations.helper_household_register import (
    HelperHouseholdConsentRequest,
    HelperHouseholdRegister,
)
from storefront_api.helpers.mutations.seller_helper_revoke import SellerHelperRevoke


class HelperMutations(graphene.ObjectType):
    helper_appoint = HelperAppoint.Field(required=True)
    helper_household_consent_request = HelperHouseholdConsentRequest.Field(required=True)
    helper_household_register = HelperHouseholdRegister.Field(required=True)
    seller_helper_revoke = SellerHelperRevoke.Field(required=True)
