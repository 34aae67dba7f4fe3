"""Account mutations, one per module."""

import graphene

from storefront_api.accounts.mutations.account_register import AccountRegister
from storefront_api.accounts.mutations.account_register_with_phone import AccountRegisterWithPhone
from storefront_api.accounts.mutations.otp_request import OtpRequest
from storefront_api.accounts.mutations.password_change import PasswordChange
from storefront_api.accounts.mutations.phone_verify import PhoneVerify
from storefront_api.accounts.mutations.request_password_reset import RequestPasswordReset
from storefront_api.accounts.mutations.set_password import SetPassword
from storefront_api.accounts.mutations.set_password_with_otp import SetPasswordWithOtp
from storefront_api.accounts.mutations.token_create import TokenCreate
from storefront_api.accounts.mutations.token_create_with_otp import TokenCreateWithOtp
from storefront_api.accounts.mutations.token_refresh import TokenRefresh


class AccountMutations(graphene.ObjectType):
    account_register = AccountRegister.Field(required=True)
    token_create = TokenCreate.Field(required=True)
    token_refresh = TokenRefresh.Field(required=True)
    password_change = PasswordChange.Field(required=True)
    request_password_reset = RequestPasswordReset.Field(required=True)
    set_password = SetPassword.Field(required=True)
    otp_request = OtpRequest.Field(required=True)
    token_create_with_otp = TokenCreateWithOtp.Field(required=True)
    account_register_with_phone = AccountRegisterWithPhone.Field(required=True)
    phone_verify = PhoneVerify.Field(required=True)
    set_password_with_otp = SetPasswordWithOtp.Field(required=True)
