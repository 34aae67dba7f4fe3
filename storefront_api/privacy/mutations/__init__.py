"""Personal data mutations: one module per mutation."""

import graphene

from storefront_api.privacy.mutations.account_delete import AccountDelete
from storefront_api.privacy.mutations.consent_grant import ConsentGrant
from storefront_api.privacy.mutations.consent_withdraw import ConsentWithdraw


class PrivacyMutations(graphene.ObjectType):
    consent_grant = ConsentGrant.Field(required=True)
    consent_withdraw = ConsentWithdraw.Field(required=True)
    account_delete = AccountDelete.Field(required=True)
