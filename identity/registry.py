"""Which identity providers the platform offers, decided from plain configuration (an environ-like mapping):
VNeID when its settings are present (VNEID_CLIENT_ID, VNEID_CLIENT_SECRET, VNEID_AUTHORIZE_URL,
VNEID_TOKEN_URL, VNEID_USERINFO_URL), manual review unless IDENTITY_MANUAL_REVIEW is off, the sandbox
only in DEBUG."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from adapter_http import Transport
from identity.base import IdentityProvider
from identity.manual import ManualReviewProvider
from identity.sandbox import SandboxIdentityProvider
from identity.vneid import VNeIDProvider


def available_providers(
    environ: Mapping[str, str], *, debug: bool, transport: Transport | None = None
) -> list[IdentityProvider]:
    providers: list[IdentityProvider] = []
    vneid = VNeIDProvider.from_env(environ, transport=transport)
    if vneid is not None:
        providers.append(vneid)
    manual = ManualReviewProvider.from_env(environ)
    if manual is not None:
        providers.append(manual)
    if debug:
        providers.append(SandboxIdentityProvider.from_env(environ))
    return providers


def provider_by_id(providers: Iterable[IdentityProvider], provider_id: str) -> IdentityProvider | None:
    return next((p for p in providers if p.id == provider_id), None)
