"""Helpers for resolvers: the signed-in user or an AUTHENTICATION_REQUIRED error."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _
from graphql import GraphQLError

from backend.accounts.permissions import Act, Place, may
from backend.core.errors import DomainError


class AuthenticationRequired(DomainError):
    default_code = "AUTHENTICATION_REQUIRED"
    default_message = _("Please sign in first.")


def current_user(info: graphene.ResolveInfo) -> Any:
    user = getattr(info.context, "user", None)
    return user if user is not None and user.is_authenticated else None


def require_user(info: graphene.ResolveInfo) -> Any:
    user = current_user(info)
    if user is None:
        raise AuthenticationRequired()
    return user


def require_seller_staff_query(info: graphene.ResolveInfo, seller_id: int) -> None:
    """For queries (which have no `errors` payload): a top-level AUTHENTICATION_REQUIRED or
    PERMISSION_DENIED error unless the viewer may see the seller's orders (`seller.private.view`)."""
    user = current_user(info)
    if user is None:
        raise GraphQLError(str(_("Please sign in first.")), extensions={"code": "AUTHENTICATION_REQUIRED"})
    if not may(user, Act.SELLER_PRIVATE_VIEW, Place(seller_id=seller_id)):
        raise GraphQLError(str(_("You do not have permission to do this.")), extensions={"code": "PERMISSION_DENIED"})
