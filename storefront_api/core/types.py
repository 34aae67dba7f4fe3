"""Shared output types: Error, ErrorCode, Money."""

from __future__ import annotations

from typing import Any

import graphene

from storefront_api.core.scalars import BigInt

PROVINCE_ARGUMENT = (
    "Only this province's (slug, code or name; a seller belongs to its commune's province). "
    "Omitted: every province. An unknown province gives an empty list."
)


class ErrorCode(graphene.Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    SLOT_FULL = "SLOT_FULL"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    DELIVERY_METHOD_REQUIRED = "DELIVERY_METHOD_REQUIRED"
    SHIPPING_ADDRESS_REQUIRED = "SHIPPING_ADDRESS_REQUIRED"
    PAYMENT_GATEWAY_UNAVAILABLE = "PAYMENT_GATEWAY_UNAVAILABLE"
    UNIQUE = "UNIQUE"
    # Beyond the contract minimum:
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_TOKEN = "INVALID_TOKEN"
    THROTTLED = "THROTTLED"
    AUTHENTICATION_REQUIRED = "AUTHENTICATION_REQUIRED"
    AMBIGUOUS = "AMBIGUOUS"
    ALREADY_CHECKED_IN = "ALREADY_CHECKED_IN"
    WRONG_DAY = "WRONG_DAY"
    INVALID_CODE = "INVALID_CODE"
    NOT_REGISTERED = "NOT_REGISTERED"
    PHONE_TAKEN = "PHONE_TAKEN"
    NOT_REVIEWABLE = "NOT_REVIEWABLE"
    ALREADY_REVIEWED = "ALREADY_REVIEWED"
    REVIEW_WINDOW_CLOSED = "REVIEW_WINDOW_CLOSED"
    EDIT_WINDOW_CLOSED = "EDIT_WINDOW_CLOSED"
    ALREADY_REPLIED = "ALREADY_REPLIED"
    IDENTITY_NOT_VERIFIED = "IDENTITY_NOT_VERIFIED"


class Error(graphene.ObjectType):
    field = graphene.String(description="Input field at fault (camelCase), if any.")
    code = graphene.NonNull(ErrorCode)
    message = graphene.String(required=True, description="Localized per Accept-Language.")

    @staticmethod
    def resolve_message(parent: Any, info: graphene.ResolveInfo) -> str:
        return str(parent.message)


class Money(graphene.ObjectType):
    amount = graphene.NonNull(BigInt)
    currency = graphene.String(required=True)

    @staticmethod
    def resolve_currency(parent: Any, info: graphene.ResolveInfo) -> str:
        return "VND"

    @staticmethod
    def resolve_amount(parent: Any, info: graphene.ResolveInfo) -> int:
        return int(parent)


def money_field(**kwargs: Any) -> graphene.Field:
    """A Money field whose resolver returns a plain int of đồng."""
    return graphene.Field(graphene.NonNull(Money), **kwargs)
