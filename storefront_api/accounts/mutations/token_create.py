"""tokenCreate: sign in with e-mail and password, get JWT access + refresh tokens."""

from __future__ import annotations

from typing import Any

import graphene
from django.conf import settings
from django.http import HttpRequest

from backend.accounts import services
from storefront_api.accounts.types import TokenCreatePayload
from storefront_api.core.mutations import BaseMutation


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for throttling.

    REMOTE_ADDR, unless the setting TRUSTED_PROXY_COUNT (default 0) says how
    many reverse proxies append to X-Forwarded-For in front of the app: then
    the address the outermost trusted proxy saw. Entries further left are
    written by the client and can be forged, so they are never used.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class TokenCreate(BaseMutation):
    """Sign in. Too many failed attempts for an e-mail or from an address give THROTTLED."""

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    class Meta:
        output = TokenCreatePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        pair = services.token_create(
            email=arguments["email"], password=arguments["password"], ip=client_ip(info.context)
        )
        return {"token": pair.access, "refresh_token": pair.refresh, "user": pair.user}
