"""A deterministic identity provider for development and tests (DEBUG only).

`start` sends the browser straight back to the return URL with a signed outcome, so the callback takes
the same verify -> parse path as a real provider. The outcome depends only on the applicant:
VERIFIED when the claimed CCCD is structurally valid (and agrees with the claimed birth date), except that
a number ending in `000` is REJECTED (ID_NUMBER_MISMATCH), to rehearse a refusal. The verified data is the
claim itself (the sandbox checks nothing real). `sign` lets a development page offer other outcomes."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

from adapter_http import setting
from identity.base import (
    Applicant,
    CallbackRequest,
    InvalidCallback,
    PendingVerification,
    Reason,
    StartKind,
    VerificationRequest,
    VerificationResult,
    VerificationStart,
)
from identity.claims import rejected_result, verified_result
from identity.numbers import InvalidNumber, parse_cccd

OUTCOMES: Mapping[str, Reason | None] = {
    "verified": None,
    "mismatch": Reason.ID_NUMBER_MISMATCH,
    "cancelled": Reason.USER_CANCELLED,
    "denied": Reason.PROVIDER_DENIED,
}


class SandboxIdentityProvider:
    id: str = "sandbox"
    name: str = "Sandbox (dev)"
    manual: bool = False

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the sandbox identity provider needs a secret")
        self._secret = secret

    def __repr__(self) -> str:
        return "SandboxIdentityProvider()"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SandboxIdentityProvider:
        root = setting(environ, "SECRET_KEY") or "cho-phien-dev-sandbox"
        return cls(hmac.new(root.encode(), b"identity.sandbox", hashlib.sha256).hexdigest())

    def expected_outcome(self, applicant: Applicant) -> str:
        if applicant.id_number is None:
            return "denied"
        try:
            parse_cccd(applicant.id_number.reveal(), birth_date=applicant.date_of_birth)
        except InvalidNumber:
            return "denied"
        return "mismatch" if applicant.id_number.last_digits(3) == "000" else "verified"

    def sign(self, reference: str, outcome: str) -> str:
        return hmac.new(self._secret.encode(), f"{reference}:{outcome}".encode(), hashlib.sha256).hexdigest()

    def callback_query(self, reference: str, outcome: str) -> dict[str, str]:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown sandbox outcome {outcome!r}")
        return {"reference": reference, "outcome": outcome, "signature": self.sign(reference, outcome)}

    def start(self, request: VerificationRequest) -> VerificationStart:
        query = urlencode(self.callback_query(request.reference, self.expected_outcome(request.applicant)))
        separator = "&" if "?" in request.return_url else "?"
        return VerificationStart(
            kind=StartKind.REDIRECT, url=f"{request.return_url}{separator}{query}", provider_reference=request.reference
        )

    def parse_callback(self, callback: CallbackRequest, *, pending: PendingVerification) -> VerificationResult:
        reference, outcome = callback.query.get("reference", ""), callback.query.get("outcome", "")
        signature = callback.query.get("signature", "")
        if reference != pending.request.reference or outcome not in OUTCOMES:
            raise InvalidCallback("sandbox callback is for another verification")
        if not hmac.compare_digest(self.sign(reference, outcome).encode(), signature.encode("utf-8", "replace")):
            raise InvalidCallback("sandbox callback signature does not match")
        reason = OUTCOMES[outcome]
        if reason is not None:
            return rejected_result(provider_id=self.id, pending=pending, reason=reason, provider_reference=reference)
        applicant = pending.request.applicant
        return verified_result(
            provider_id=self.id,
            pending=pending,
            full_name=applicant.full_name,
            date_of_birth=applicant.date_of_birth,
            id_number=applicant.id_number.reveal() if applicant.id_number else None,
            provider_reference=reference,
        )
