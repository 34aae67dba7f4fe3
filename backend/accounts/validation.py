"""Checks shared by the account use cases: e-mail addresses and passwords, as field errors."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.core.errors import ErrorDetail

EMAIL_MAX_LENGTH = 254


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed and lower-cased."""
    return User.objects.normalize_email((email or "").strip()).lower()


def django_errors(exc: ValidationError, *, field: str, code: str = "INVALID") -> list[ErrorDetail]:
    # `messages` are already formatted and translated into the active language.
    return [ErrorDetail(code=code, message=message, field=field) for message in exc.messages]


def email_errors(email: str) -> list[ErrorDetail]:
    """REQUIRED or INVALID for a normalized address; never whether an account has it."""
    if not email:
        return [ErrorDetail(code="REQUIRED", message=_("Enter an e-mail address."), field="email")]
    try:
        EmailValidator()(email)
        MaxLengthValidator(EMAIL_MAX_LENGTH)(email)
    except ValidationError as exc:
        return django_errors(exc, field="email")
    return []


def password_errors(password: str, *, user: User, field: str) -> list[ErrorDetail]:
    """REQUIRED, or one INVALID per Django password validator that refuses it."""
    if not password:
        return [ErrorDetail(code="REQUIRED", message=_("Enter a password."), field=field)]
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return django_errors(exc, field=field)
    return []
