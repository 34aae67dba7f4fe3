"""Account mutations, one per module."""

import graphene

from storefront_api.accounts.mutations.account_register import AccountRegister
from storefront_api.accounts.mutations.password_change import PasswordChange
from storefront_api.accounts.mutations.request_password_reset import RequestPasswordReset
from storefront_api.accounts.mutations.set_password import SetPassword
from storefront_api.accounts.mutations.token_create import TokenCreate
from storefront_api.accounts.mutations.token_refresh import TokenRefresh


class AccountMutations(graphene.ObjectType):
    account_register = AccountRegister.Field(required=True)
    token_create = TokenCreate.Field(required=True)
    token_refresh = TokenRefresh.Field(required=True)
    password_change = PasswordChange.Field(required=True)
    request_password_reset = RequestPasswordReset.Field(required=True)
    set_password = SetPassword.Field(required=True)
