"""JWT access (15 min) and refresh (30 days) tokens.

Both carry the user's `token_version`; a password change bumps it, which
revokes every token issued before.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.core.errors import DomainError

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"


class InvalidToken(DomainError):
    default_code = "INVALID_TOKEN"
    default_message = _("The token is invalid or has expired. Please sign in again.")


def _encode(user: User, kind: str, ttl: timedelta, now: datetime | None = None) -> str:
    issued = now or timezone.now()
    claims = {
        "sub": str(user.pk),
        "typ": kind,
        "ver": user.token_version,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM)


def access_token_for(user: User, *, now: datetime | None = None) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL, now)


def refresh_token_for(user: User, *, now: datetime | None = None) -> str:
    return _encode(user, REFRESH, settings.JWT_REFRESH_TTL, now)


def user_from_token(token: str, *, kind: str) -> User:
    """The active user a token of `kind` names, or InvalidToken."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "typ", "ver", "exp", "iat"]},
        )
    except jwt.PyJWTError:
        raise InvalidToken() from None
    if claims.get("typ") != kind:
        raise InvalidToken()
    try:
        user = User.objects.get(pk=int(claims["sub"]), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError):
        raise InvalidToken() from None
    if user.token_version != claims.get("ver"):
        raise InvalidToken()
    return user


def user_from_bearer(header: str) -> User | None:
    """The user of an `Authorization: Bearer <access token>` header.

    None without such a header; InvalidToken when the token is bad, expired or
    revoked (the client should refresh or sign in again, not act anonymously).
    """
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_from_token(token.strip(), kind=ACCESS)
