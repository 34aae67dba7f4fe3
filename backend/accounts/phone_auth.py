"""Accounts by phone: sign in, register, verify a phone and reset a password with a one-time code.

A verified phone belongs to one active account at most (a partial unique constraint); an account
made here has no e-mail unless one is given, and no password unless one is chosen (it signs in with
codes). JWTs are issued as for e-mail sign-in (`services.issue_tokens`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts import otp
from backend.accounts.models import CodePurpose, User
from backend.accounts.phones import normalize_vn_phone
from backend.accounts.selectors import user_by_email
from backend.accounts.services import FULL_NAME_MAX_LENGTH, TokenPair, issue_tokens
from backend.accounts.tasks import send_registration_notice
from backend.accounts.validation import django_errors, email_errors, normalize_email, password_errors
from backend.core.errors import DomainError, ErrorDetail, ValidationFailed


class NotRegistered(DomainError):
    """The code is right but no account uses the number: register with the same code."""

    default_code = "NOT_REGISTERED"
    default_message = _("No account uses this number yet. Register with the same code.")


class PhoneTaken(DomainError):
    default_code = "PHONE_TAKEN"
    default_message = _("Another account already uses this number.")


@dataclass(frozen=True)
class PhoneRegistration:
    tokens: TokenPair
    created: bool


def user_by_verified_phone(*, phone: str) -> User | None:
    return User.objects.filter(phone=phone, phone_verified=True, is_active=True).first()


def request_sign_in_code(*, phone: str, ip: str | None) -> otp.CodeRequest:
    """A code to sign in or to register: sent whether or not the number has an account (the same answer)."""
    return otp.request_code(phone=phone, purpose=CodePurpose.SIGN_IN, ip=ip)


def request_code(*, phone: str, purpose: str, ip: str | None, user: User | None = None) -> otp.CodeRequest:
    """`otpRequest`: a code for `purpose`. A reset code goes only to a number with a verified account,
    a phone check only to a signed-in user, but the answer is the same either way."""
    purpose = otp.purpose_or_error(purpose)
    if purpose == CodePurpose.PASSWORD_RESET:
        e164 = normalize_vn_phone(phone, field="phone")
        owner = user_by_verified_phone(phone=e164)
        return otp.request_code(
            phone=e164,
            purpose=purpose,
            ip=ip,
            send=owner is not None,
            language=owner.preferred_language if owner else "",
        )
    if purpose == CodePurpose.VERIFY_PHONE:
        return otp.request_code(
            phone=phone, purpose=purpose, ip=ip, send=user is not None, language=user.preferred_language if user else ""
        )
    if purpose == CodePurpose.HELPER_CONSENT:
        raise otp.InvalidCode(_("Unknown purpose."), code="INVALID", field="purpose")
    return request_sign_in_code(phone=phone, ip=ip)


def _signed_in(user: User) -> TokenPair:
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return issue_tokens(user=user)


def token_create_with_otp(*, phone: str, code: str, ip: str | None) -> TokenPair:
    """Sign in with a verified phone and its code. A right code for a number without an account gives
    NOT_REGISTERED and stays usable for `account_register_with_phone` (only the phone's holder learns it)."""
    e164 = otp.check_code(phone=phone, purpose=CodePurpose.SIGN_IN, code=code, ip=ip, consume=False)
    user = user_by_verified_phone(phone=e164)
    if user is None:
        raise NotRegistered(field="phone")
    otp.check_code(phone=e164, purpose=CodePurpose.SIGN_IN, code=code, ip=ip)
    return _signed_in(user)


def account_register_with_phone(
    *,
    phone: str,
    code: str,
    full_name: str = "",
    email: str = "",
    password: str = "",
    preferred_language: str = "",
    ip: str | None = None,
) -> PhoneRegistration:
    """Create an account whose verified phone is `phone` and sign it in; with a phone that already has
    one, sign that one in instead (the code proves the phone). E-mail and password are optional; an
    address that belongs to another account is left out and its owner told by e-mail."""
    full_name = (full_name or "").strip()
    language = (preferred_language or "").strip().lower() or User.Language.VI
    email = normalize_email(email)
    details: list[ErrorDetail] = email_errors(email) if email else []
    try:
        MaxLengthValidator(FULL_NAME_MAX_LENGTH)(full_name)
    except ValidationError as exc:
        details += django_errors(exc, field="fullName")
    if language not in User.Language.values:
        details.append(
            ErrorDetail(code="INVALID", message=_("This language is not supported."), field="preferredLanguage")
        )
    e164 = normalize_vn_phone(phone, field="phone")
    user = User(full_name=full_name, phone=e164, phone_verified=True, preferred_language=language)
    if password:
        details += password_errors(password, user=user, field="password")
    if details:
        raise ValidationFailed(details=details)
    otp.check_code(phone=e164, purpose=CodePurpose.SIGN_IN, code=code, ip=ip)
    existing = user_by_verified_phone(phone=e164)
    if existing is not None:
        return PhoneRegistration(tokens=_signed_in(existing), created=False)
    if email:
        owner = user_by_email(email=email)
        if owner is None:
            user.email = email
        else:
            transaction.on_commit(partial(send_registration_notice.delay, owner.pk))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:  # the same phone (or address) registered by a concurrent request
        existing = user_by_verified_phone(phone=e164)
        if existing is None:
            raise
        return PhoneRegistration(tokens=_signed_in(existing), created=False)
    return PhoneRegistration(tokens=_signed_in(user), created=True)


def phone_verify(*, user: User, phone: str, code: str, ip: str | None) -> User:
    """Prove a phone for a signed-in account (a code asked with purpose VERIFY_PHONE); it becomes the
    account's phone and signs it in. PHONE_TAKEN when another account has already proved it."""
    e164 = otp.check_code(phone=phone, purpose=CodePurpose.VERIFY_PHONE, code=code, ip=ip)
    other = user_by_verified_phone(phone=e164)
    if other is not None and other.pk != user.pk:
        raise PhoneTaken(field="phone")
    user.phone, user.phone_verified = e164, True
    try:
        with transaction.atomic():
            user.save(update_fields=["phone", "phone_verified"])
    except IntegrityError:
        raise PhoneTaken(field="phone") from None
    return user


def set_password_with_otp(*, phone: str, code: str, password: str, ip: str | None) -> TokenPair:
    """Choose a new password with a PASSWORD_RESET code sent to the account's verified phone. Every
    token issued before is revoked; the answer carries a new pair."""
    e164 = normalize_vn_phone(phone, field="phone")
    user = user_by_verified_phone(phone=e164) or User(phone=e164)
    details = password_errors(password, user=user, field="password")
    if details:
        raise ValidationFailed(details=details)
    otp.check_code(phone=e164, purpose=CodePurpose.PASSWORD_RESET, code=code, ip=ip)
    if user.pk is None:  # no code was ever sent to a number without an account: unreachable in practice
        raise otp.InvalidCode(field="code")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password", "token_version"])
    return _signed_in(locked)
