"""JWT access (15 min) and refresh (30 days) tokens, and password-reset tokens.

JWTs carry the user's `token_version`; a password change bumps it, which
revokes every token issued before.

A password-reset token is `<user id, base64>.<Django's signed reset token>`: an HMAC with
SECRET_KEY over the user's id, password hash, last sign-in, e-mail and `token_version`, with its
time. It expires after PASSWORD_RESET_TIMEOUT and works once: setting the password changes the
hash it was made from.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
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


class _PasswordResetTokens(PasswordResetTokenGenerator):
    key_salt = "backend.accounts.tokens.password-reset"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}:{user.token_version}"


_reset_tokens = _PasswordResetTokens()


def password_reset_token(user: User) -> str:
    """A single-use token that lets its holder choose a new password for `user`."""
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{_reset_tokens.make_token(user)}"


def user_from_password_reset_token(token: str) -> User | None:
    """The active user a valid, unexpired, unused reset token names; None otherwise."""
    uid, _dot, signed = (token or "").strip().partition(".")
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not _reset_tokens.check_token(user, signed):
        return None
    return user
