"""GraphQL types of accounts: User and the account mutation payloads."""

from __future__ import annotations

import graphene
from graphene import relay

from backend.accounts.models import User as UserModel
from backend.sellers.selectors import sellers_of_user
from storefront_api.core.auth import current_user
from storefront_api.core.mutations import Payload


class User(graphene.ObjectType):
    """A customer account. Only the user themself (or a superuser) can read it."""

    class Meta:
        name = "User"
        interfaces = (relay.Node,)

    email = graphene.String(required=True)
    full_name = graphene.String()
    phone = graphene.String(description="E.164, e.g. +84903123456.")
    is_province_admin = graphene.Boolean(required=True)
    preferred_language = graphene.String(required=True, description="Language code: vi or en.")
    sellers = graphene.List(
        graphene.NonNull(lambda: _seller_type()), required=True, description="Sellers this user is staff of."
    )
    orders = graphene.Field(
        graphene.NonNull(lambda: _order_connection_type()),
        first=graphene.Int(),
        after=graphene.String(),
        description="The user's orders, newest first.",
    )

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: str) -> UserModel | None:
        viewer = current_user(info)
        if viewer is None or not (viewer.is_superuser or str(viewer.pk) == str(id)):
            return None
        return UserModel.objects.filter(pk=id).first()

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, UserModel)

    @staticmethod
    def resolve_full_name(root: UserModel, info: graphene.ResolveInfo) -> str | None:
        return root.full_name or None

    @staticmethod
    def resolve_phone(root: UserModel, info: graphene.ResolveInfo) -> str | None:
        return root.phone or None

    @staticmethod
    def resolve_sellers(root: UserModel, info: graphene.ResolveInfo) -> list[object]:
        return list(sellers_of_user(user=root))

    @staticmethod
    def resolve_orders(
        root: UserModel, info: graphene.ResolveInfo, first: int | None = None, after: str | None = None
    ) -> object:
        from storefront_api.orders.queries import user_orders

        return user_orders(root, first=first, after=after)

    @staticmethod
    def resolve_is_province_admin(root: UserModel, info: graphene.ResolveInfo) -> bool:
        return root.is_province_admin


def _seller_type() -> type[graphene.ObjectType]:
    # Imported lazily: the sellers package imports account types too.
    from storefront_api.sellers.types import Seller

    return Seller


def _order_connection_type() -> type[graphene.ObjectType]:
    # Imported lazily: order types refer to sellers, which import account types.
    from storefront_api.core.connection import connection_type
    from storefront_api.orders.types import Order

    return connection_type(Order)


class AccountRegisterPayload(Payload):
    user = graphene.Field(User, description="Always null: the answer never tells whether the address had an account.")


class TokenCreatePayload(Payload):
    token = graphene.String(description="Access token for `Authorization: Bearer`, valid 15 minutes.")
    refresh_token = graphene.String(description="Use with tokenRefresh to get a new access token; valid 30 days.")
    user = graphene.Field(User)


class TokenRefreshPayload(Payload):
    token = graphene.String(description="A new access token.")


class PasswordChangePayload(Payload):
    user = graphene.Field(User)
    token = graphene.String(description="A new access token: every token issued before the change is revoked.")
    refresh_token = graphene.String(description="A new refresh token.")


class RequestPasswordResetPayload(Payload):
    """Empty on success, whether or not an account matched."""


class SetPasswordPayload(Payload):
    user = graphene.Field(User)
    token = graphene.String(description="A new access token: every token issued before the reset is revoked.")
    refresh_token = graphene.String(description="A new refresh token.")
