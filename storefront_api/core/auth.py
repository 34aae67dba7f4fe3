"""Helpers for resolvers: the signed-in user or an AUTHENTICATION_REQUIRED error."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils.translation import gettext_lazy as _

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
