"""Password reset: ask for a link (by e-mail address or phone), then choose a new password with it.

The request always answers the same, whether or not an account matches, so it tells nobody which
addresses or phones have accounts; it is throttled per address or phone and per IP. The link's token
is single-use and expires (see `backend.accounts.tokens`). Choosing the new password applies
Django's password validators, then bumps `token_version` and changes the password hash, which
revokes every JWT (access and refresh) and every web session of the account.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts import otp, throttle
from backend.accounts.models import CodePurpose, User
from backend.accounts.phones import normalize_vn_phone
from backend.accounts.tasks import send_password_reset
from backend.accounts.tokens import user_from_password_reset_token
from backend.accounts.validation import email_errors, normalize_email, password_errors
from backend.core.errors import DomainError, Throttled, ValidationFailed

PHONE_MATCHES_MAX = 5


class InvalidResetToken(DomainError):
    default_code = "INVALID_TOKEN"
    default_message = _("This link is invalid, expired or already used. Ask for a new one.")


@dataclass(frozen=True)
class ResetRequest:
    """What a reset request was about (for the caller's own records; never shown)."""

    account_key: str


def request_password_reset(*, email: str = "", phone: str = "", ip: str | None = None) -> ResetRequest:
    """Mail a reset link to the account with this e-mail address, or to the accounts with this phone.

    Raises only for input that is wrong whoever asks (nothing given, a malformed address or phone)
    and for THROTTLED; otherwise answers the same whether or not an account matches. A phone that an
    account has verified gets a one-time code by Zalo or SMS (`phone_auth.set_password_with_otp`);
    an unverified one, a link at the e-mail addresses of the accounts that list it.
    """
    email = normalize_email(email)
    phone = (phone or "").strip()
    if not email and not phone:
        raise ValidationFailed(_("Enter your e-mail address or your phone number."), code="REQUIRED", field="email")
    if email:
        details = email_errors(email)
        if details:
            raise ValidationFailed(details=details)
        account_key = email
    else:
        account_key = normalize_vn_phone(phone, field="phone")
    if not throttle.password_reset_allowed(account_key=account_key, ip=ip):
        raise Throttled()
    users = User.objects.filter(is_active=True)
    if not email and users.filter(phone=account_key, phone_verified=True).exists():
        # A verified phone gets a code by SMS or Zalo (then `set_password_with_otp`), not a mailed link.
        with contextlib.suppress(Throttled):  # a code was sent a moment ago: the same answer
            otp.request_code(phone=account_key, purpose=CodePurpose.PASSWORD_RESET, ip=ip)
        return ResetRequest(account_key=account_key)
    users = users.filter(email__iexact=email) if email else users.filter(phone=account_key)
    user_ids = list(users.order_by("pk").values_list("pk", flat=True)[:PHONE_MATCHES_MAX])
    # Enqueued whether or not an account matched: the same work, the same answer.
    transaction.on_commit(lambda: send_password_reset.delay(user_ids))
    return ResetRequest(account_key=account_key)


def set_password(*, token: str, password: str, ip: str | None = None) -> User:
    """Choose a new password with a reset link's token; every session and token of the account ends."""
    if not throttle.password_reset_allowed(account_key="", ip=ip):
        raise Throttled()
    user = user_from_password_reset_token(token)
    if user is None:
        make_password(password or "")  # same cost as a real change
        raise InvalidResetToken(field="token")
    details = password_errors(password, user=user, field="password")
    if details:
        raise ValidationFailed(details=details)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if user_from_password_reset_token(token) is None:  # used by a concurrent request meanwhile
            raise InvalidResetToken(field="token")
        locked.set_password(password)
        locked.last_login = timezone.now()
        locked.save(update_fields=["password", "token_version", "last_login"])
    throttle.reset(email=locked.login_key)
    return locked
