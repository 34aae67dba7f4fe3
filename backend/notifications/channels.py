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

from messaging.base import Channel
from messaging.email import EmailEnvelope
from messaging.registry import available_channels
from messaging.sandbox import OutboxEntry

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
    return available_channels(os.environ, debug=settings.DEBUG, send_email=django_send_email, sink=DatabaseSink())


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
