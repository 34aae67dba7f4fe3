"""The seller identity verification interface. Pure Python: nothing here (or in any provider) imports
Django or `backend/`. The backend starts a verification for an applicant, sends the browser where the
provider says (or queues a manual review), hands the callback back together with what it kept from the
start, and stores the `VerificationResult` (the ID number encrypted, shown masked).

Nothing here produces user-facing text: outcomes carry a `Reason` code the backend translates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from identity.numbers import SensitiveNumber


class StartKind(StrEnum):
    REDIRECT = "REDIRECT"  # send the applicant's browser to `url`
    MANUAL_REVIEW = "MANUAL_REVIEW"  # a province officer must compare the card photos with the applicant


class VerificationStatus(StrEnum):
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    PENDING = "PENDING"


class Reason(StrEnum):
    NAME_MISMATCH = "NAME_MISMATCH"  # the verified name is not the one the applicant gave
    BIRTH_DATE_MISMATCH = "BIRTH_DATE_MISMATCH"
    ID_NUMBER_MISMATCH = "ID_NUMBER_MISMATCH"
    ID_NUMBER_INVALID = "ID_NUMBER_INVALID"  # the number read or returned fails the CCCD checks
    DOCUMENT_UNREADABLE = "DOCUMENT_UNREADABLE"
    DOCUMENT_EXPIRED = "DOCUMENT_EXPIRED"
    FACE_MISMATCH = "FACE_MISMATCH"  # the applicant is not the person on the card
    ACCOUNT_LEVEL_TOO_LOW = "ACCOUNT_LEVEL_TOO_LOW"  # a level-1 VNeID account does not prove identity
    USER_CANCELLED = "USER_CANCELLED"
    PROVIDER_DENIED = "PROVIDER_DENIED"  # the provider refused without saying why
    OTHER = "OTHER"


@dataclass(frozen=True)
class Applicant:
    """Who claims to be whom: what the seller typed in its application."""

    full_name: str
    date_of_birth: date | None = None
    id_number: SensitiveNumber | None = None
    user_ref: str = ""  # the backend's user id, so an officer cannot review himself


@dataclass(frozen=True)
class VerificationRequest:
    reference: str  # the backend's verification id, unique
    applicant: Applicant
    return_url: str  # where the provider sends the browser back (our callback view)
    locale: str = "vi"


@dataclass(frozen=True)
class VerificationStart:
    kind: StartKind
    url: str | None = None
    provider_reference: str | None = None
    # Kept server-side by the backend until the callback (e.g. the PKCE verifier); never sent to the browser.
    session: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"VerificationStart(kind={self.kind.value!r}, provider_reference={self.provider_reference!r})"


@dataclass(frozen=True)
class PendingVerification:
    """What the backend gives back with a callback: the request it started and the start's session."""

    request: VerificationRequest
    session: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VerificationResult:
    provider_id: str
    reference: str
    status: VerificationStatus
    reason: Reason | None = None
    full_name: str = ""  # as verified
    date_of_birth: date | None = None
    id_number: SensitiveNumber | None = None  # masked in every repr; the backend encrypts `reveal()`
    provider_reference: str | None = None
    decided_by: str = ""  # the officer's user id for a manual review
    checks: Mapping[str, bool] = field(default_factory=dict)  # what was compared, for the audit log

    @property
    def verified(self) -> bool:
        return self.status is VerificationStatus.VERIFIED


@dataclass(frozen=True)
class CallbackRequest:
    """The parts of the provider's callback (a browser redirect) a provider may read."""

    method: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


class InvalidCallback(Exception):
    """Forged, replayed or for another verification: never read its contents."""


class CallbackNotSupported(Exception):
    """This provider has no callback (manual review decides through `record_decision`)."""


class ProviderUnavailable(Exception):
    """The provider is not configured or cannot be reached: try again later."""


class IdentityProvider(Protocol):
    id: str
    name: str
    manual: bool  # True: the outcome comes from an officer's decision, not a callback

    def start(self, request: VerificationRequest) -> VerificationStart: ...

    def parse_callback(self, callback: CallbackRequest, *, pending: PendingVerification) -> VerificationResult:
        """Verify the callback belongs to `pending` (InvalidCallback otherwise), then read the outcome."""
        ...
