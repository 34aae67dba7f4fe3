"""Account use cases: registration, sign-in (JWT), token refresh, password change.

Password reset lives in `backend.accounts.recovery`. Registration answers the same whether or not
the address already has an account (the owner is told by e-mail instead), so it cannot be used to
find out who is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts import throttle
from backend.accounts.models import User
from backend.accounts.phones import normalize_vn_phone
from backend.accounts.selectors import user_by_email
from backend.accounts.tasks import send_registration_notice, send_welcome
from backend.accounts.tokens import REFRESH, access_token_for, refresh_token_for, user_from_token
from backend.accounts.validation import django_errors, email_errors, normalize_email, password_errors
from backend.core.errors import DomainError, ErrorDetail, Throttled, ValidationFailed
from backend.legal.documents import BUYER_TERMS
from backend.legal.models import AcceptanceContext, ConsentPurpose
from backend.legal.services import acceptance_record, consent_record

FULL_NAME_MAX_LENGTH = 150

DUPLICATE_EMAIL = _("A user with this e-mail address already exists.")

__all__ = ["DUPLICATE_EMAIL", "normalize_email"]


class InvalidCredentials(DomainError):
    """Unknown e-mail, wrong password or inactive user: one answer for all three."""

    default_code = "INVALID_CREDENTIALS"
    default_message = _("E-mail or password is incorrect.")


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    user: User


@dataclass(frozen=True)
class Registration:
    """What happened, for the caller's records and tests; the API answers the same either way."""

    created: bool
    user: User


def account_register(
    *,
    email: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    preferred_language: str = "",
    ip: str | None = None,
    channel: str = "API",
) -> Registration:
    """Create a buyer account, or tell the owner of an existing one.

    Every invalid field is reported at once, in one DomainError with a detail per problem: `email`
    (REQUIRED, INVALID), `password` (Django's password validators), `fullName`, `phone` (must be a
    Vietnamese number; stored as E.164) and `preferredLanguage`. None of them depends on whether
    the address has an account. When it has, nothing is created and its owner gets a notice by
    e-mail; a new account gets a welcome e-mail. Throttled per address and per IP.
    """
    email = normalize_email(email)
    if not throttle.registration_allowed(email=email, ip=ip):
        raise Throttled()
    full_name = (full_name or "").strip()
    language = (preferred_language or "").strip().lower() or User.Language.VI
    details = email_errors(email)

    try:
        MaxLengthValidator(FULL_NAME_MAX_LENGTH)(full_name)
    except ValidationError as exc:
        details += django_errors(exc, field="fullName")

    phone_e164 = ""
    if (phone or "").strip():
        try:
            phone_e164 = normalize_vn_phone(phone, field="phone")
        except ValidationFailed as exc:
            details += exc.details

    if language not in User.Language.values:
        details.append(
            ErrorDetail(code="INVALID", message=_("This language is not supported."), field="preferredLanguage")
        )

    user = User(email=email, full_name=full_name, phone=phone_e164, preferred_language=language)
    details += password_errors(password, user=user, field="password")
    if details:
        raise ValidationFailed(details=details)

    existing = user_by_email(email=email)
    if existing is None:
        # Everything the model would check is validated above; saving directly (not via
        # create_user's full_clean) leaves a lost race on the address to the database constraints.
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save(force_insert=True)
                # Signing up accepts the operating rules and reads the privacy notice (their versions kept).
                acceptance_record(user=user, context=AcceptanceContext.SIGNUP, documents=BUYER_TERMS)
                consent_record(user=user, purpose=ConsentPurpose.ACCOUNT, channel=channel)
        except IntegrityError:
            existing = user_by_email(email=email)  # registered by another request meanwhile
            if existing is None:
                raise
        else:
            transaction.on_commit(partial(send_welcome.delay, user.pk))
            return Registration(created=True, user=user)
    make_password(password)  # the same cost as creating the account
    transaction.on_commit(partial(send_registration_notice.delay, existing.pk))
    return Registration(created=False, user=existing)


def issue_tokens(*, user: User) -> TokenPair:
    """A fresh access + refresh token pair for `user`."""
    return TokenPair(access=access_token_for(user), refresh=refresh_token_for(user), user=user)


def token_create(*, email: str, password: str, ip: str | None) -> TokenPair:
    """Sign in with e-mail (or a verified phone) and password.

    Throttled (checked before the password, so even the right password is
    refused) once the e-mail or the client IP has too many recent failures.
    An unknown e-mail, a wrong password and an inactive account all give the
    same InvalidCredentials, and the password is hashed in every case so the
    response time does not tell them apart either.
    """
    email = normalize_email(email)
    if throttle.is_blocked(email=email, ip=ip):
        raise Throttled()

    user = user_by_email(email=email) if email else None
    if user is None and email and "@" not in email:  # a verified phone also names an account
        user = _user_by_verified_phone(email)
    if user is None:
        make_password(password)  # same cost as a real check
    if user is None or not user.check_password(password) or not user.is_active:
        throttle.record_failure(email=email, ip=ip)
        raise InvalidCredentials()

    throttle.reset(email=email)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return issue_tokens(user=user)


def _user_by_verified_phone(text: str) -> User | None:
    try:
        phone = normalize_vn_phone(text)
    except ValidationFailed:
        return None
    return User.objects.filter(phone=phone, phone_verified=True).first()


def token_refresh(*, refresh_token: str) -> str:
    """A new access token for a valid refresh token.

    Raises InvalidToken when the token is malformed, expired, not a refresh
    token, revoked by a password change, or its user is inactive.
    """
    user = user_from_token(refresh_token, kind=REFRESH)
    return access_token_for(user)


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change the password after checking the current one.

    Saving the new password bumps `token_version`, so every access and refresh
    token issued before (on any device) stops working; callers hand the user a
    new pair with `issue_tokens`. Wrong current passwords count towards the
    e-mail's login throttle, so a stolen access token cannot be used to guess it.
    """
    if throttle.is_blocked(email=user.login_key, ip=None):
        raise Throttled()
    if not user.check_password(old_password or ""):
        throttle.record_failure(email=user.login_key, ip=None)
        raise InvalidCredentials(_("The current password is incorrect."), field="oldPassword")
    details = password_errors(new_password, user=user, field="newPassword")
    if details:
        raise ValidationFailed(details=details)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "token_version"])
    throttle.reset(email=user.login_key)
    return user
