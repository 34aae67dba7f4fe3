"""Shared builders for the identity tests. No database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from adapter_http import Transport
from identity.base import Applicant, PendingVerification, VerificationRequest
from identity.numbers import SensitiveNumber
from identity.vneid import VNeIDProvider

RECORDINGS = Path(__file__).with_name("recordings")
RETURN_URL = "https://chophien.example/seller/identity/vneid/return"
LAN_CCCD = "068185001234"  # Lâm Đồng, female, born 1985
TOKENS = {
    48: "verifier-0123456789abcdefghijklmnopqrstuvwxyz0123",
    24: "state-0123456789abcdefghij",
    16: "nonce-0123456789",
}


def applicant(**overrides: Any) -> Applicant:
    fields: dict[str, Any] = {
        "full_name": "Nguyễn Thị Lan",
        "date_of_birth": date(1985, 3, 14),
        "id_number": SensitiveNumber(LAN_CCCD),
        "user_ref": "user-42",
    }
    fields.update(overrides)
    return Applicant(**fields)


def request(**overrides: Any) -> VerificationRequest:
    return VerificationRequest(reference="IDV-7", applicant=applicant(**overrides), return_url=RETURN_URL)


def pending(session: dict[str, str] | None = None, **overrides: Any) -> PendingVerification:
    return PendingVerification(request=request(**overrides), session=session or {})


def vneid(transport: Transport) -> VNeIDProvider:
    return VNeIDProvider(
        "chophien-lamdong",
        "vneid-client-secret",
        authorize_url="https://vneid.example.gov.vn/oauth2/authorize",
        token_url="https://vneid.example.gov.vn/oauth2/token",
        userinfo_url="https://vneid.example.gov.vn/oauth2/userinfo",
        transport=transport,
        token_factory=TOKENS.__getitem__,
    )
