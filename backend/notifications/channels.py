"""The platform's channels, built once per process from the environment by `messaging.registry`, with
what only the backend has: Django's mail sending, the Zalo token store (a database row) and the sandbox
sink (a table shown at `/dev/outbox/`, and the log). Tests replace them with `use_channels`."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from messaging.base import Channel
from messaging.email import EmailEnvelope
from messaging.registry import available_channels
from messaging.sandbox import OutboxEntry
from messaging.zalo_oauth import ZaloTokens

logger = logging.getLogger(__name__)

_channels: list[Channel] | None = None


class DatabaseSink:
    """Keeps what sandbox channels 'send', so a tester reads an OTP at /dev/outbox/ (and in the log)."""

    def record(self, entry: OutboxEntry) -> None:
        from backend.notifications.models import SandboxMessage

        SandboxMessage.objects.create(
            channel_id=entry.channel_id,
            medium=entry.medium.value,
            address=entry.address,
            kind=entry.kind,
            language=entry.language,
            subject=entry.subject[:255],
            text=entry.text,
            idempotency_key=entry.idempotency_key[:200],
        )
        logger.info("sandbox %s to %s: %s", entry.channel_id, entry.address, entry.text)


class DatabaseTokenStore:
    """`messaging.zalo_oauth.TokenStore` over the one `ZaloOAToken` row."""

    def get(self) -> ZaloTokens | None:
        from backend.notifications.models import ZaloOAToken

        row = ZaloOAToken.objects.order_by("pk").first()
        if row is None:
            return None
        return ZaloTokens(row.access_token, row.refresh_token, row.access_expires_at)

    def set(self, tokens: ZaloTokens) -> None:
        from backend.notifications.models import ZaloOAToken

        ZaloOAToken.objects.update_or_create(
            pk=1,
            defaults={
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "access_expires_at": tokens.access_expires_at,
            },
        )


@contextmanager
def zalo_refresh_lock() -> Iterator[object]:
    """One refresh at a time across workers: a row lock on the token row, inside a transaction."""
    from backend.notifications.models import ZaloOAToken

    with transaction.atomic():
        yield list(ZaloOAToken.objects.select_for_update().filter(pk=1))


def django_send_email(envelope: EmailEnvelope) -> str | None:
    mail = EmailMultiAlternatives(
        envelope.subject,
        envelope.text,
        None,
        [envelope.to],
        headers={"Message-ID": envelope.message_id, **dict(envelope.headers)},
    )
    if envelope.html:
        mail.attach_alternative(envelope.html, "text/html")
    mail.send()
    return envelope.message_id


def channels() -> list[Channel]:
    """The configured channels, Zalo → SMS → e-mail (cheap to build: read from the environment each time,
    so a settings change in tests or a reload takes effect). Sandbox channels only with DEBUG."""
    if _channels is not None:
        return _channels
    return available_channels(
        os.environ,
        debug=settings.DEBUG,
        send_email=django_send_email,
        sink=DatabaseSink(),
        zalo_token_store=DatabaseTokenStore(),
        zalo_lock=zalo_refresh_lock,
    )


@contextmanager
def use_channels(replacement: Sequence[Channel]) -> Iterator[None]:
    """Deliver over `replacement` inside the block (tests: failing fakes, recorded transports)."""
    global _channels
    saved = _channels
    _channels = list(replacement)
    try:
        yield
    finally:
        _channels = saved


def reset() -> None:
    global _channels
    _channels = None
