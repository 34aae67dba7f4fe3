"""Shared builders for the channel tests: one message, channels wired to recorded transports. No database."""

from __future__ import annotations

from pathlib import Path

from adapter_http import Transport
from messaging.base import Message, Recipient
from messaging.esms import EsmsChannel
from messaging.zalo import ZaloZnsChannel, ZnsTemplate
from messaging.zalo_oauth import MemoryTokenStore, ZaloTokenManager, ZaloTokens
from tests.recorded_http import RecordedTransport

RECORDINGS = Path(__file__).with_name("recordings")
NOW = 1_732_600_000.0
ZALO_APP_ID = "4291763606161179100"
PHONE = "+84912345678"


def recorded(name: str) -> RecordedTransport:
    return RecordedTransport.from_file(RECORDINGS / name)


def order_message(**overrides: object) -> Message:
    fields: dict[str, object] = {
        "kind": "order.placed",
        "recipient": Recipient(email="lan@example.vn", phone=PHONE, name="Nguyễn Thị Lan"),
        "idempotency_key": "order.placed:CP2611ABC:user:42",
        "subject": "Đơn hàng CP2611ABC",
        "text": "Chào chị Lan, đơn hàng CP2611ABC đã được đặt.",
        "short_text": "Chợ Phiên: đơn CP2611ABC đã đặt, tổng 150.000₫. Cảm ơn bạn!",
        "params": {"order_number": "CP2611ABC", "buyer_name": "Nguyễn Thị Lan", "total_text": "150.000 ₫"},
    }
    fields.update(overrides)
    return Message(**fields)


def esms(transport: Transport, **kwargs: object) -> EsmsChannel:
    options: dict[str, object] = {"callback_url": "https://chophien.example/messaging/esms/receipt"}
    options.update(kwargs)
    return EsmsChannel("esms-api-key", "esms-secret-key", "CHOPHIEN", transport=transport, **options)


ORDER_TEMPLATE = ZnsTemplate(
    "312345", {"order_code": "order_number", "customer_name": "buyer_name", "total": "total_text"}
)


def zalo(
    transport: Transport,
    *,
    tokens: ZaloTokens | None = None,
    bootstrap: str | None = None,
    oa_secret_key: str | None = "oa-secret-key",
    development_mode: bool = False,
) -> tuple[ZaloZnsChannel, MemoryTokenStore]:
    store = MemoryTokenStore(tokens)
    manager = ZaloTokenManager(
        ZALO_APP_ID,
        "zalo-app-secret",
        store,
        bootstrap_refresh_token=bootstrap,
        transport=transport,
        clock=lambda: NOW,
    )
    channel = ZaloZnsChannel(
        manager,
        {"order.placed": ORDER_TEMPLATE, "otp": ZnsTemplate("400001")},
        oa_id="1397492183140006179",
        oa_secret_key=oa_secret_key,
        development_mode=development_mode,
        transport=transport,
    )
    return channel, store


def fresh_tokens(access: str = "access-old", refresh: str = "refresh-old") -> ZaloTokens:
    return ZaloTokens(access_token=access, refresh_token=refresh, access_expires_at=NOW + 20_000)
