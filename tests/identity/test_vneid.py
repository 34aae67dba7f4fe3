"""VNeID as configured (its real endpoints were never reachable): the start URL, PKCE, the recorded
code exchange and userinfo call, and every way a callback can go wrong."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from identity.base import (
    CallbackRequest,
    InvalidCallback,
    ProviderUnavailable,
    Reason,
    StartKind,
    VerificationStatus,
)
from identity.numbers import SensitiveNumber
from identity.vneid import VNeIDProvider
from tests.identity.conftest import LAN_CCCD, RECORDINGS, RETURN_URL, TOKENS, pending, request, vneid
from tests.recorded_http import RecordedTransport, no_network, unreachable

SESSION = {"state": TOKENS[24], "code_verifier": TOKENS[48], "nonce": TOKENS[16]}


def callback(**query: str) -> CallbackRequest:
    return CallbackRequest(method="GET", query={"state": TOKENS[24], **query})


def with_userinfo(claims: dict[str, object]) -> RecordedTransport:
    exchanges = RecordedTransport.from_file(RECORDINGS / "vneid_verify.json").exchanges
    exchanges[1]["response"]["json"] = claims
    return RecordedTransport(exchanges)


def test_start_sends_the_browser_with_pkce_and_keeps_the_secrets_server_side() -> None:
    start = vneid(no_network).start(request())
    assert start.kind is StartKind.REDIRECT and start.url is not None
    url = urlsplit(start.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://vneid.example.gov.vn/oauth2/authorize"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    expected_challenge = base64.urlsafe_b64encode(hashlib.sha256(TOKENS[48].encode()).digest()).rstrip(b"=").decode()
    assert query == {
        "response_type": "code",
        "client_id": "chophien-lamdong",
        "redirect_uri": RETURN_URL,
        "scope": "openid profile",
        "state": TOKENS[24],
        "nonce": TOKENS[16],
        "code_challenge": expected_challenge,
        "code_challenge_method": "S256",
        "ui_locales": "vi",
    }
    assert start.session == SESSION
    assert TOKENS[48] not in start.url and TOKENS[48] not in repr(start)


def test_a_verified_callback() -> None:
    transport = RecordedTransport.from_file(RECORDINGS / "vneid_verify.json")
    result = vneid(transport).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))
    assert transport.done
    assert result.status is VerificationStatus.VERIFIED and result.reason is None
    assert result.id_number == SensitiveNumber(LAN_CCCD) and result.provider_reference == "vneid-sub-1"
    assert result.checks == {
        "id_number_valid": True,
        "id_number_matches": True,
        "name_matches": True,
        "birth_date_matches": True,
    }
    assert LAN_CCCD not in repr(result)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (
            {"name": "Nguyễn Thị Lan", "birthdate": "1985-03-14", "identity_number": "068185009999"},
            Reason.ID_NUMBER_MISMATCH,
        ),
        ({"name": "Nguyen Thi Lan", "birthdate": "1985-03-14", "identity_number": LAN_CCCD}, Reason.NAME_MISMATCH),
        ({"name": "Nguyễn Thị Lan", "birthdate": "14/03/1986", "identity_number": LAN_CCCD}, Reason.ID_NUMBER_INVALID),
        (
            {"name": "Nguyễn Thị Lan", "birthdate": "1985-03-15", "identity_number": LAN_CCCD},
            Reason.BIRTH_DATE_MISMATCH,
        ),
        ({"name": "Nguyễn Thị Lan", "birthdate": "1985-03-14"}, Reason.ID_NUMBER_INVALID),
        (
            {"name": "Nguyễn Thị Lan", "birthdate": "1985-03-14", "identity_number": LAN_CCCD, "acr": "1"},
            Reason.ACCOUNT_LEVEL_TOO_LOW,
        ),
    ],
)
def test_what_does_not_match_the_claim_is_rejected(claims: dict[str, object], reason: Reason) -> None:
    result = vneid(with_userinfo(claims)).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))
    assert (result.status, result.reason) == (VerificationStatus.REJECTED, reason)


def test_names_compare_without_case_or_spacing_but_with_diacritics() -> None:
    claims = {"name": "  NGUYỄN   THỊ LAN ", "birthdate": "14/03/1985", "identity_number": LAN_CCCD}
    result = vneid(with_userinfo(claims)).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))
    assert result.verified


def test_forged_or_stale_callbacks_are_refused() -> None:
    provider = vneid(no_network)
    with pytest.raises(InvalidCallback):
        provider.parse_callback(CallbackRequest("GET", {"state": "guessed", "code": "c"}), pending=pending(SESSION))
    with pytest.raises(InvalidCallback):
        provider.parse_callback(callback(code="c"), pending=pending({}))  # no start was recorded
    with pytest.raises(InvalidCallback):
        provider.parse_callback(callback(), pending=pending(SESSION))  # no code


def test_the_applicant_cancelling_or_the_provider_refusing() -> None:
    provider = vneid(no_network)
    cancelled = provider.parse_callback(callback(error="access_denied"), pending=pending(SESSION))
    assert (cancelled.status, cancelled.reason) == (VerificationStatus.REJECTED, Reason.USER_CANCELLED)
    refused = provider.parse_callback(callback(error="server_error"), pending=pending(SESSION))
    assert refused.reason is Reason.PROVIDER_DENIED


def test_a_used_code_never_verifies() -> None:
    exchange = RecordedTransport.from_file(RECORDINGS / "vneid_verify.json").exchanges[0]
    exchange["response"] = {"status": 400, "json": {"error": "invalid_grant"}}
    with pytest.raises(InvalidCallback):
        vneid(RecordedTransport([exchange])).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))


def test_outages_say_try_again() -> None:
    with pytest.raises(ProviderUnavailable):
        vneid(unreachable).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))
    exchange = RecordedTransport.from_file(RECORDINGS / "vneid_verify.json").exchanges[0]
    exchange["response"] = {"status": 502, "body": "<html>Bad gateway</html>"}
    with pytest.raises(ProviderUnavailable):
        vneid(RecordedTransport([exchange])).parse_callback(callback(code="auth-code-1"), pending=pending(SESSION))


def test_claim_names_from_configuration() -> None:
    environ = {
        "VNEID_CLIENT_ID": "c",
        "VNEID_CLIENT_SECRET": "vneid-secret-from-env",
        "VNEID_AUTHORIZE_URL": "https://a",
        "VNEID_TOKEN_URL": "https://t",
        "VNEID_USERINFO_URL": "https://u",
        "VNEID_CLAIM_ID_NUMBER": "so_dinh_danh",
        "VNEID_SCOPE": "openid citizen",
    }
    provider = VNeIDProvider.from_env(environ)
    assert provider is not None and provider.claims.id_number == "so_dinh_danh" and provider.scope == "openid citizen"
    assert "vneid-secret-from-env" not in repr(provider)
    assert VNeIDProvider.from_env({**environ, "VNEID_TOKEN_URL": ""}) is None
