"""Which channels the platform has, decided from plain configuration (an environ-like mapping) and the
few things only the backend can provide: the e-mail send function, the Zalo token store and its lock,
and the sandbox sink. At most one channel per medium, in the default fallback order.

- SMS: `SMS_PROVIDER` = `esms` (eSMS with `ESMS_API_KEY`, `ESMS_SECRET_KEY`, `ESMS_BRANDNAME`) or
  `sandbox` (DEBUG only); unset picks eSMS when its settings are present, else the sandbox in DEBUG.
- Zalo: ZNS when `ZALO_APP_ID`, `ZALO_APP_SECRET`, `ZALO_OA_ID` are set and a token store is given;
  else the sandbox in DEBUG. Templates from `ZNS_TEMPLATE_<KIND>` for the kinds given.
- E-mail: the injected send function (`EMAIL_CHANNEL=django`, the default), or the sandbox in DEBUG
  when `EMAIL_CHANNEL=sandbox` or no send function is given.
Sandbox channels are never offered without DEBUG."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from urllib.parse import urlsplit

from adapter_http import Transport, flag, setting
from messaging.base import Channel, Medium
from messaging.email import EmailChannel, SendEmail
from messaging.esms import EsmsChannel
from messaging.planner import DEFAULT_KIND_POLICIES, DEFAULT_ORDER, QuietHours
from messaging.sandbox import OutboxSink, SandboxChannel
from messaging.zalo import ZaloZnsChannel, templates_from_env
from messaging.zalo_oauth import TokenStore, ZaloTokenManager

SMS_PROVIDERS = ("esms", "sandbox")


class ConfigurationError(ValueError):
    """A setting names something that does not exist (e.g. an unknown SMS_PROVIDER)."""


def _sms(
    environ: Mapping[str, str], debug: bool, sink: OutboxSink | None, transport: Transport | None
) -> Channel | None:
    provider = (setting(environ, "SMS_PROVIDER") or "").lower()
    if provider and provider not in SMS_PROVIDERS:
        raise ConfigurationError(f"SMS_PROVIDER={provider!r}: expected one of {', '.join(SMS_PROVIDERS)}")
    if provider in ("", "esms"):
        esms = EsmsChannel.from_env(environ, transport=transport)
        if esms is not None:
            return esms
    if debug and sink is not None and provider in ("", "sandbox"):
        return SandboxChannel(Medium.SMS, sink)
    return None


def _zalo(
    environ: Mapping[str, str],
    *,
    debug: bool,
    sink: OutboxSink | None,
    store: TokenStore | None,
    lock: Callable[[], AbstractContextManager[object]],
    transport: Transport | None,
    kinds: Iterable[str],
) -> Channel | None:
    app_id, app_secret, oa_id = (setting(environ, n) for n in ("ZALO_APP_ID", "ZALO_APP_SECRET", "ZALO_OA_ID"))
    if app_id and app_secret and oa_id and store is not None:
        tokens = ZaloTokenManager(
            app_id,
            app_secret,
            store,
            bootstrap_refresh_token=setting(environ, "ZALO_REFRESH_TOKEN"),
            lock=lock,
            transport=transport,
        )
        return ZaloZnsChannel(
            tokens,
            templates_from_env(environ, kinds),
            oa_id=oa_id,
            oa_secret_key=setting(environ, "ZALO_OA_SECRET_KEY"),
            development_mode=flag(environ, "ZNS_DEVELOPMENT_MODE"),
            transport=transport,
        )
    if debug and sink is not None:
        return SandboxChannel(Medium.ZALO, sink)
    return None


def _email(environ: Mapping[str, str], debug: bool, sink: OutboxSink | None, send: SendEmail | None) -> Channel | None:
    wanted = (setting(environ, "EMAIL_CHANNEL") or "django").lower()
    if send is not None and not (debug and wanted == "sandbox"):
        host = urlsplit(setting(environ, "PUBLIC_URL") or "").hostname
        return EmailChannel(send, message_id_domain=host or "chophien.local")
    if debug and sink is not None:
        return SandboxChannel(Medium.EMAIL, sink)
    return None


def available_channels(
    environ: Mapping[str, str],
    *,
    debug: bool,
    send_email: SendEmail | None = None,
    sink: OutboxSink | None = None,
    zalo_token_store: TokenStore | None = None,
    zalo_lock: Callable[[], AbstractContextManager[object]] = nullcontext,
    transport: Transport | None = None,
    kinds: Iterable[str] = DEFAULT_KIND_POLICIES,
) -> list[Channel]:
    """The configured channels, Zalo -> SMS -> e-mail. Raises ConfigurationError on an unknown provider."""
    found = {
        Medium.ZALO: _zalo(
            environ,
            debug=debug,
            sink=sink,
            store=zalo_token_store,
            lock=zalo_lock,
            transport=transport,
            kinds=list(kinds),
        ),
        Medium.SMS: _sms(environ, debug, sink, transport),
        Medium.EMAIL: _email(environ, debug, sink, send_email),
    }
    return [channel for medium in DEFAULT_ORDER if (channel := found[medium]) is not None]


def channel_by_id(channels: Iterable[Channel], channel_id: str) -> Channel | None:
    return next((c for c in channels if c.id == channel_id), None)


def quiet_hours_from_env(environ: Mapping[str, str]) -> QuietHours | None:
    """`NOTIFY_QUIET_HOURS` (default `21:00-07:00`, Vietnam time; `off` for none)."""
    value = environ.get("NOTIFY_QUIET_HOURS")
    return QuietHours() if value is None else QuietHours.parse(value)
