"""Ticket codes, QR images and calendar files.

A code is 12 characters from a 31-letter alphabet without look-alikes (about 59 bits of
randomness), shown in groups ("CP7K-4QXM-ZR2D") so it can be read out or typed at the gate.
"""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime

import segno
from django.conf import settings
from django.utils import timezone

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(value: str) -> str:
    """What a person typed or a scanner read, in the stored form (case and dashes forgiven)."""
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if len(raw) != 12:
        return (value or "").strip().upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def ticket_url(code: str) -> str:
    return f"{settings.PUBLIC_URL}/tickets/{code}"


def qr_svg(code: str, *, scalable: bool = False) -> str:
    """An inline SVG QR code of the ticket's code (what the operator's scanner reads). `scalable`
    leaves out the pixel size (a viewBox only), so the page's stylesheet sizes it."""
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, omitsize=scalable)
    return out.getvalue().decode()


def qr_png(code: str) -> bytes:
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics(*, code: str, title: str, starts_at: datetime, ends_at: datetime, location: str, description: str) -> str:
    """An RFC 5545 calendar file with one event (times in UTC, so every calendar app agrees)."""

    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cho Phien//Tickets//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{code}@chophien.vn",
        f"DTSTAMP:{stamp(timezone.now())}",
        f"DTSTART:{stamp(starts_at)}",
        f"DTEND:{stamp(ends_at)}",
        f"SUMMARY:{_ics_text(title)}",
        f"LOCATION:{_ics_text(location)}",
        f"DESCRIPTION:{_ics_text(description)}",
        f"URL:{ticket_url(code)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)
