"""VNeID, the national electronic identity of the Ministry of Public Security (Bộ Công an, C06 / RAR centre).

What public sources say (read with the search tool; see README "Identity providers"):
- Decree 69/2024/NĐ-CP on electronic identification and authentication: a level-2 electronic identity
  account has the value of the CCCD card in transactions; organisations may use VNeID accounts to
  authenticate people in their own systems after connecting to the national identification and
  authentication system under an agreement with the Ministry.
- E-commerce Law 122/2025/QH15 (in force 1 July 2026): platforms identify domestic sellers through VNeID.

What no public source gives: the connection's technical specification (endpoints, protocol, claim
names, signing keys). Everything below is therefore [unverified]: an OpenID Connect authorization-code
flow with PKCE (S256) and the back-channel userinfo call, the shape such national eIDs commonly take,
with every URL, the scope and the claim names taken from configuration so the real specification can
be followed without code changes where it is OIDC-like. None of these calls has ever run."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from adapter_http import (
    DEFAULT_TIMEOUT,
    HttpRequest,
    Transport,
    TransportError,
    form_request,
    setting,
    urllib_transport,
)
from identity.base import (
    CallbackRequest,
    InvalidCallback,
    PendingVerification,
    ProviderUnavailable,
    Reason,
    StartKind,
    VerificationRequest,
    VerificationResult,
    VerificationStart,
)
from identity.claims import rejected_result, verified_result

REQUIRED_SETTINGS = (
    "VNEID_CLIENT_ID",
    "VNEID_CLIENT_SECRET",
    "VNEID_AUTHORIZE_URL",
    "VNEID_TOKEN_URL",
    "VNEID_USERINFO_URL",
)


@dataclass(frozen=True)
class ClaimNames:
    """Where the userinfo answer keeps each fact. Defaults: OIDC standard claims, and guesses for the rest."""

    full_name: str = "name"
    birth_date: str = "birthdate"  # OIDC: YYYY-MM-DD; dd/mm/yyyy is accepted too
    id_number: str = "identity_number"  # [unverified guess]
    level: str = "acr"  # [unverified guess]; when present it must be one of `accepted_levels`
    accepted_levels: tuple[str, ...] = ("2", "level2", "muc2")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _parse_date(value: object) -> date | None:
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class VNeIDProvider:
    id: str = "vneid"
    name: str = "VNeID"
    manual: bool = False

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        authorize_url: str,
        token_url: str,
        userinfo_url: str,
        scope: str = "openid profile",
        claims: ClaimNames | None = None,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        token_factory: Callable[[int], str] = secrets.token_urlsafe,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("VNeID needs a client id and a client secret")
        self.client_id = client_id
        self._client_secret = client_secret
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.userinfo_url = userinfo_url
        self.scope = scope
        self.claims = claims or ClaimNames()
        self._transport: Transport = transport or urllib_transport
        self.timeout = timeout
        self._token = token_factory

    def __repr__(self) -> str:
        return f"VNeIDProvider(client_id={self.client_id!r}, authorize_url={self.authorize_url!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **kwargs: Any) -> VNeIDProvider | None:
        values = {name: setting(environ, name) for name in REQUIRED_SETTINGS}
        if not all(values.values()):
            return None
        defaults = ClaimNames()
        claims = ClaimNames(
            full_name=setting(environ, "VNEID_CLAIM_FULL_NAME") or defaults.full_name,
            birth_date=setting(environ, "VNEID_CLAIM_BIRTH_DATE") or defaults.birth_date,
            id_number=setting(environ, "VNEID_CLAIM_ID_NUMBER") or defaults.id_number,
            level=setting(environ, "VNEID_CLAIM_LEVEL") or defaults.level,
        )
        return cls(
            str(values["VNEID_CLIENT_ID"]),
            str(values["VNEID_CLIENT_SECRET"]),
            authorize_url=str(values["VNEID_AUTHORIZE_URL"]),
            token_url=str(values["VNEID_TOKEN_URL"]),
            userinfo_url=str(values["VNEID_USERINFO_URL"]),
            scope=setting(environ, "VNEID_SCOPE") or "openid profile",
            claims=claims,
            **kwargs,
        )

    def start(self, request: VerificationRequest) -> VerificationStart:
        verifier, state, nonce = self._token(48), self._token(24), self._token(16)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": request.return_url,
            "scope": self.scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64url(hashlib.sha256(verifier.encode("ascii")).digest()),
            "code_challenge_method": "S256",
            "ui_locales": request.locale,
        }
        separator = "&" if "?" in self.authorize_url else "?"
        return VerificationStart(
            kind=StartKind.REDIRECT,
            url=f"{self.authorize_url}{separator}{urlencode(query)}",
            provider_reference=None,
            session={"state": state, "code_verifier": verifier, "nonce": nonce},
        )

    def parse_callback(self, callback: CallbackRequest, *, pending: PendingVerification) -> VerificationResult:
        expected = pending.session.get("state", "")
        received = callback.query.get("state", "")
        if not expected or not hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace")):
            raise InvalidCallback("VNeID state does not match this verification")
        error = callback.query.get("error")
        if error:
            reason = Reason.USER_CANCELLED if error == "access_denied" else Reason.PROVIDER_DENIED
            return rejected_result(provider_id=self.id, pending=pending, reason=reason)
        code = callback.query.get("code", "")
        if not code:
            raise InvalidCallback("VNeID callback lacks the authorization code")
        access_token = self._exchange(code, pending)
        info = self._userinfo(access_token)
        level = info.get(self.claims.level)
        if level is not None and str(level).lower() not in self.claims.accepted_levels:
            return rejected_result(provider_id=self.id, pending=pending, reason=Reason.ACCOUNT_LEVEL_TOO_LOW)
        subject = str(info.get("sub", "")) or None
        return verified_result(
            provider_id=self.id,
            pending=pending,
            full_name=str(info.get(self.claims.full_name, "") or "").strip(),
            date_of_birth=_parse_date(info.get(self.claims.birth_date)),
            id_number=str(info.get(self.claims.id_number, "") or "") or None,
            provider_reference=subject,
        )

    def _call(self, request: HttpRequest) -> dict[str, Any]:
        try:
            response = self._transport(request, self.timeout)
        except TransportError as exc:
            raise ProviderUnavailable("VNeID cannot be reached") from exc
        answer = response.json()
        if response.status >= 500 or answer is None:
            raise ProviderUnavailable(f"VNeID answered {response.status}")
        if response.status >= 400:
            # A used or forged code ("invalid_grant") must not verify anyone; the backend restarts.
            raise InvalidCallback(f"VNeID refused: {answer.get('error', response.status)}")
        return answer

    def _exchange(self, code: str, pending: PendingVerification) -> str:
        request = form_request(
            self.token_url,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": pending.request.return_url,
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "code_verifier": pending.session.get("code_verifier", ""),
            },
        )
        token = self._call(request).get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderUnavailable("VNeID token answer lacks an access token")
        return token

    def _userinfo(self, access_token: str) -> dict[str, Any]:
        request = HttpRequest(
            method="GET",
            url=self.userinfo_url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        return self._call(request)
