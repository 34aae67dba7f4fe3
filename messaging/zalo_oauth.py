"""Zalo Official Account access tokens (OAuth v4), kept in a store the backend injects.

Zalo's OA tokens are short-lived and the refresh token rotates: every refresh answers a new
refresh token and the old one stops working, so the new pair must be persisted at once (the
backend's store keeps it in the database) and two workers must not refresh with the same token
(the backend passes a lock; after waiting for it we re-read the store and use what the other
worker stored).

- Refresh: `POST https://oauth.zaloapp.com/v4/oa/access_token`, header `secret_key: <app secret>`,
  form `refresh_token`, `app_id`, `grant_type=refresh_token`; answer `access_token`, `refresh_token`,
  `expires_in` (seconds, sent as a string; about 25 hours). Errors answer `error` (negative) with
  `error_name` / `error_description`.
- First authorisation by an OA admin: `https://oauth.zaloapp.com/v4/oa/permission?app_id=…&redirect_uri=…
  &code_challenge=…&state=…`, then the same token URL with `code`, `app_id`,
  `grant_type=authorization_code`, `code_verifier`. [unverified: read in third-party integrations
  only; Zalo's own page was not reachable from here.] Until the backend builds that page, the first
  refresh token can be given as ZALO_REFRESH_TOKEN: it is used once, while the store is empty."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from adapter_http import DEFAULT_TIMEOUT, Transport, TransportError, form_request, urllib_transport

OAUTH_BASE = "https://oauth.zaloapp.com"
TOKEN_PATH = "/v4/oa/access_token"
PERMISSION_PATH = "/v4/oa/permission"


@dataclass(frozen=True)
class ZaloTokens:
    access_token: str
    refresh_token: str
    access_expires_at: float  # epoch seconds

    def __repr__(self) -> str:  # tokens never reach a log
        return f"ZaloTokens(access_expires_at={self.access_expires_at:.0f})"


class TokenStore(Protocol):
    def get(self) -> ZaloTokens | None: ...

    def set(self, tokens: ZaloTokens) -> None: ...


class MemoryTokenStore:
    """For tests and a single development process; production keeps tokens in the database."""

    def __init__(self, tokens: ZaloTokens | None = None) -> None:
        self.tokens = tokens

    def get(self) -> ZaloTokens | None:
        return self.tokens

    def set(self, tokens: ZaloTokens) -> None:
        self.tokens = tokens


class TokenRefreshFailed(Exception):
    def __init__(self, code: str, *, retryable: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.retryable = retryable


class ZaloTokenManager:
    def __init__(
        self,
        app_id: str,
        app_secret: str,
        store: TokenStore,
        *,
        bootstrap_refresh_token: str | None = None,
        lock: Callable[[], AbstractContextManager[object]] = nullcontext,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
        margin_seconds: float = 300.0,
        oauth_base: str = OAUTH_BASE,
    ) -> None:
        if not app_id or not app_secret:
            raise ValueError("Zalo needs an app id and an app secret")
        self.app_id = app_id
        self._app_secret = app_secret
        self.store = store
        self._bootstrap = bootstrap_refresh_token
        self._lock = lock
        self._transport: Transport = transport or urllib_transport
        self.timeout = timeout
        self._clock = clock
        self.margin_seconds = margin_seconds
        self.oauth_base = oauth_base.rstrip("/")

    def __repr__(self) -> str:
        return f"ZaloTokenManager(app_id={self.app_id!r})"

    def _fresh(self, tokens: ZaloTokens | None) -> bool:
        return tokens is not None and tokens.access_expires_at - self.margin_seconds > self._clock()

    def access_token(self) -> str:
        """A valid access token, refreshed first when it is missing or about to expire."""
        tokens = self.store.get()
        if tokens is not None and self._fresh(tokens):
            return tokens.access_token
        return self.refresh(stale=tokens.access_token if tokens else None).access_token

    def refresh(self, *, stale: str | None) -> ZaloTokens:
        """Refresh under the lock. `stale` is the access token the caller saw fail or expire: when the store
        already holds another fresh one, another worker refreshed meanwhile and that one is used."""
        with self._lock():
            current = self.store.get()
            if current is not None and current.access_token != stale and self._fresh(current):
                return current
            refresh_token = current.refresh_token if current is not None else self._bootstrap
            if not refresh_token:
                raise TokenRefreshFailed("NO_REFRESH_TOKEN")
            tokens = self._token_call(
                {"refresh_token": refresh_token, "app_id": self.app_id, "grant_type": "refresh_token"}
            )
            self.store.set(tokens)
            return tokens

    def permission_url(self, *, redirect_uri: str, code_challenge: str, state: str) -> str:
        """Where an OA admin grants this app access (PKCE S256 challenge). [unverified]"""
        query = urlencode(
            {"app_id": self.app_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge, "state": state}
        )
        return f"{self.oauth_base}{PERMISSION_PATH}?{query}"

    def exchange_code(self, *, code: str, code_verifier: str) -> ZaloTokens:
        """Trade the admin's authorisation code for the first token pair, and store it. [unverified]"""
        with self._lock():
            tokens = self._token_call(
                {
                    "code": code,
                    "app_id": self.app_id,
                    "grant_type": "authorization_code",
                    "code_verifier": code_verifier,
                }
            )
            self.store.set(tokens)
            return tokens

    def _token_call(self, fields: Mapping[str, str]) -> ZaloTokens:
        request = form_request(self.oauth_base + TOKEN_PATH, fields, headers={"secret_key": self._app_secret})
        try:
            response = self._transport(request, self.timeout)
        except TransportError as exc:
            raise TokenRefreshFailed("UNREACHABLE", retryable=True) from exc
        answer = response.json() or {}
        access, refresh = answer.get("access_token"), answer.get("refresh_token")
        if response.status >= 500:
            raise TokenRefreshFailed(f"HTTP_{response.status}", retryable=True)
        if not isinstance(access, str) or not isinstance(refresh, str) or not access or not refresh:
            raise TokenRefreshFailed(str(answer.get("error", f"HTTP_{response.status}")))
        expires_in = str(answer.get("expires_in", ""))
        lifetime = float(expires_in) if expires_in.isdigit() else 3600.0
        return ZaloTokens(access_token=access, refresh_token=refresh, access_expires_at=self._clock() + lifetime)
