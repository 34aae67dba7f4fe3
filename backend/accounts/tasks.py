"""Account e-mails, sent by Celery after the request: welcome, "someone tried to register with your
address", and password-reset links.

A reset link's token is made here, when the mail is written, so it never travels through the broker.
Phones have no SMS channel yet: a reset asked for by phone is mailed to the matching account's address.
"""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.accounts.tokens import password_reset_token

_RETRY_ON = (OSError,)


def _mail(user: User, subject: str, body: str) -> int:
    if not user.email:  # a phone-only account
        return 0
    return send_mail(subject, body + "\n\n— Chợ Phiên", None, [user.email])


def _active(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def reset_url(user: User) -> str:
    return settings.PUBLIC_URL + reverse("web:password-reset", args=[password_reset_token(user)])


def _mail_in_language(user_id: int, compose: Callable[[User], tuple[str, str]]) -> int:
    """Mail an active user in their language; 0 when the account is gone or inactive."""
    user = _active(user_id)
    if user is None:
        return 0
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return _mail(user, *compose(user))


def _welcome(user: User) -> tuple[str, str]:
    values = {"email": user.email, "url": settings.PUBLIC_URL + reverse("web:login")}
    return _("Welcome to Chợ Phiên"), _("Your account %(email)s is ready. Sign in here: %(url)s") % values


def _registration_notice(user: User) -> tuple[str, str]:
    values = {"email": user.email, "url": reset_url(user), "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    body = (
        _(
            "Someone (perhaps you) asked to create a Chợ Phiên account for %(email)s, which already has one. "
            "No new account was made.\n\nIf it was you, sign in as usual, or choose a new password here "
            "(the link works once, for %(minutes)s minutes): %(url)s\n\n"
            "If it was not you, you can ignore this message."
        )
        % values
    )
    return _("Someone tried to create an account with your address"), body


@shared_task(name="accounts.send_welcome", autoretry_for=_RETRY_ON, retry_backoff=True, max_retries=5)
def send_welcome(user_id: int) -> int:
    """A new account: say it is ready and how to sign in."""
    return _mail_in_language(user_id, _welcome)


@shared_task(name="accounts.send_registration_notice", autoretry_for=_RETRY_ON, retry_backoff=True, max_retries=5)
def send_registration_notice(user_id: int) -> int:
    """Someone registered with an address that already has an account: tell its owner instead."""
    return _mail_in_language(user_id, _registration_notice)


@shared_task(name="accounts.send_password_reset", autoretry_for=_RETRY_ON, retry_backoff=True, max_retries=5)
def send_password_reset(user_ids: list[int]) -> int:
    """Mail each account a single-use link to choose a new password (possibly none: same work)."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            minutes = settings.PASSWORD_RESET_TIMEOUT // 60
            values = {"email": user.email, "url": reset_url(user), "minutes": minutes}
            subject = _("Choose a new password for Chợ Phiên")
            body = (
                _(
                    "Someone (perhaps you) asked to reset the password of %(email)s. Choose a new one here; "
                    "the link works once, for %(minutes)s minutes:\n\n%(url)s\n\n"
                    "If you did not ask for it, ignore this message: your password stays the same."
                )
                % values
            )
            sent += _mail(user, subject, body)
    return sent
