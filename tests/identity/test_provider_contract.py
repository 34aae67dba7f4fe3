"""The contract every identity provider keeps, run against each: identity, a documented start, forged
callbacks refused before anything is read, secrets and ID numbers kept out of reprs."""

from __future__ import annotations

import pytest

from identity.base import (
    CallbackNotSupported,
    CallbackRequest,
    IdentityProvider,
    InvalidCallback,
    StartKind,
    VerificationStart,
)
from identity.registry import available_providers, provider_by_id
from tests.identity.conftest import LAN_CCCD, pending, request
from tests.recorded_http import no_network

ENV = {
    "SECRET_KEY": "contract-suite-secret",
    "VNEID_CLIENT_ID": "chophien-lamdong",
    "VNEID_CLIENT_SECRET": "vneid-client-secret-contract",
    "VNEID_AUTHORIZE_URL": "https://vneid.example.gov.vn/oauth2/authorize",
    "VNEID_TOKEN_URL": "https://vneid.example.gov.vn/oauth2/token",
    "VNEID_USERINFO_URL": "https://vneid.example.gov.vn/oauth2/userinfo",
}
PROVIDERS = {p.id: p for p in available_providers(ENV, debug=True, transport=no_network)}


def test_every_provider_is_offered_and_the_sandbox_only_in_debug() -> None:
    assert sorted(PROVIDERS) == ["manual", "sandbox", "vneid"]
    assert [p.id for p in available_providers({}, debug=False)] == ["manual"]
    assert provider_by_id(PROVIDERS.values(), "vneid") is PROVIDERS["vneid"]


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> IdentityProvider:
    return PROVIDERS[request.param]


def test_identity(provider: IdentityProvider) -> None:
    assert provider.id and provider.name and isinstance(provider.manual, bool)
    assert "vneid-client-secret-contract" not in repr(provider) and "contract-suite-secret" not in repr(provider)


def test_start_gives_the_documented_kind(provider: IdentityProvider) -> None:
    start = provider.start(request())
    assert isinstance(start, VerificationStart)
    if provider.manual:
        assert start.kind is StartKind.MANUAL_REVIEW and start.url is None
    else:
        assert start.kind is StartKind.REDIRECT and start.url and start.url.startswith("https://")
    assert LAN_CCCD not in (start.url or "") and LAN_CCCD not in repr(start)


@pytest.mark.parametrize(
    "callback",
    [
        CallbackRequest("GET", {}),
        CallbackRequest("GET", {"state": "x", "code": "y"}),
        CallbackRequest("GET", {"reference": "IDV-7", "outcome": "verified", "signature": "00"}),
        CallbackRequest("POST", {}, body=b"not json"),
    ],
)
def test_forged_callbacks_are_refused(provider: IdentityProvider, callback: CallbackRequest) -> None:
    started = provider.start(request())
    with pytest.raises((InvalidCallback, CallbackNotSupported)):
        provider.parse_callback(callback, pending=pending(dict(started.session)))
