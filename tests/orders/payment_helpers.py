"""Builders for the payment endpoint tests: gateway settings, a pending order per gateway, and
gateway messages signed with the documented algorithms (the adapters' own signing helpers)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import services as order_services
from backend.orders.models import (
    LedgerEntry,
    LedgerKind,
    Order,
    Payment,
    PaymentEvent,
    PaymentStatus,
    SellerOrderStatus,
)
from payments.momo import IPN_SIGNED_FIELDS, raw_signature
from payments.payos_gateway import canonical_data
from payments.payos_gateway import sign as payos_sign
from payments.signing import hmac_sha256_hex
from payments.vietqr import memo_reference
from payments.vnpay import sign_params
from payments.zalopay import app_trans_id_for
from payments.zalopay import hmac_sha256 as zalopay_mac
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, Shop, make_shop
from tests.factories import commune

VNPAY_TMN = "CHOPHIE1"
VNPAY_SECRET = "VNPAYSECRETVNPAYSECRETVNPAYSECRE"
MOMO_PARTNER = "MOMOCHOPHIEN"
MOMO_ACCESS = "momo-access-key"
MOMO_SECRET = "momo-secret-key-0123456789"
ZALOPAY_APP_ID = "2553"
ZALOPAY_KEY1 = "zalopay-key1-0123456789"
ZALOPAY_KEY2 = "zalopay-key2-0123456789"
STRIPE_WEBHOOK_SECRET = "whsec_chophien_test"
VIETQR_ACCOUNT = "0011001234567"
PAYOS_CHECKSUM = "payos-checksum-key-0123456789"
WRONG_SECRET = "not-the-secret-0123456789abcdef"

GATEWAY_ENV = {
    "VNPAY_TMN_CODE": VNPAY_TMN,
    "VNPAY_HASH_SECRET": VNPAY_SECRET,
    "MOMO_PARTNER_CODE": MOMO_PARTNER,
    "MOMO_ACCESS_KEY": MOMO_ACCESS,
    "MOMO_SECRET_KEY": MOMO_SECRET,
    "MOMO_ENDPOINT": "https://test-payment.momo.vn",
    "ZALOPAY_APP_ID": ZALOPAY_APP_ID,
    "ZALOPAY_KEY1": ZALOPAY_KEY1,
    "ZALOPAY_KEY2": ZALOPAY_KEY2,
    "ZALOPAY_ENDPOINT": "https://sb-openapi.zalopay.vn",
    "STRIPE_SECRET_KEY": "sk_test_chophien",
    "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
    "VIETQR_BANK_BIN": "970436",
    "VIETQR_ACCOUNT_NO": VIETQR_ACCOUNT,
    "VIETQR_ACCOUNT_NAME": "HTX CHO PHIEN",
    "PAYOS_CLIENT_ID": "payos-client",
    "PAYOS_API_KEY": "payos-api-key",
    "PAYOS_CHECKSUM_KEY": PAYOS_CHECKSUM,
}

# Gateways whose start() calls the network: the tests skip it (their payments stay PENDING).
ONLINE_START = {"momo", "zalopay", "stripe"}


def configure_gateways(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    for name, value in GATEWAY_ENV.items():
        monkeypatch.setenv(name, value)
    settings.DEBUG = True


@dataclass
class Placed:
    order: Order
    payment: Payment
    shop: Shop


def place_order(gateway_id: str, monkeypatch: pytest.MonkeyPatch, *, price: int = 100_000) -> Placed:
    """A completed checkout (2 x price, one seller) paid with `gateway_id`, its payment PENDING."""
    shop = make_shop(price=price)
    checkout = checkout_services.checkout_create(
        user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=2)], email="khach@example.vn"
    )
    checkout_services.checkout_shipping_address_update(
        checkout=checkout,
        address=AddressData(
            full_name="Nguyễn Văn A",
            phone="0903 123 456",
            street="1 Trần Phú",
            commune_id=commune(OTHER_DA_LAT_COMMUNE).pk,
        ),
    )
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk
    )
    if gateway_id in ONLINE_START:
        monkeypatch.setattr("backend.orders.payments.start_payment", lambda *, payment, client_ip="": payment)
    result = order_services.checkout_complete(checkout=checkout, gateway_id=gateway_id, user=None)
    assert result.payment is not None
    payment = Payment.objects.get(pk=result.payment.pk)
    assert payment.status == PaymentStatus.PENDING and payment.amount == 2 * price
    return Placed(order=result.order, payment=payment, shop=shop)


# --- signed messages --------------------------------------------------------------------------


@dataclass
class Message:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def vnpay_ipn(
    reference: str,
    amount: int,
    *,
    response_code: str = "00",
    secret: str = VNPAY_SECRET,
    transaction_no: str = "14422574",
    path: str = "/payments/vnpay/ipn",
) -> Message:
    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14422574",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan don hang {reference}",
        "vnp_PayDate": "20261123103000",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": VNPAY_TMN,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": response_code,
        "vnp_TxnRef": reference,
        "vnp_SecureHashType": "HmacSHA512",
    }
    params["vnp_SecureHash"] = sign_params(params, secret)
    return Message("GET", path, query=params)


def momo_ipn(reference: str, amount: int, *, secret: str = MOMO_SECRET, result_code: int = 0) -> Message:
    fields: dict[str, Any] = {
        "partnerCode": MOMO_PARTNER,
        "orderId": reference,
        "requestId": f"{reference}-req1",
        "amount": amount,
        "orderInfo": f"Thanh toan don hang {reference}",
        "orderType": "momo_wallet",
        "transId": 4088878653,
        "resultCode": result_code,
        "message": "Successful." if result_code == 0 else "Failed.",
        "payType": "qr",
        "responseTime": 1763868600000,
        "extraData": "",
    }
    fields["signature"] = hmac_sha256_hex(
        secret, raw_signature({**fields, "accessKey": MOMO_ACCESS}, IPN_SIGNED_FIELDS)
    )
    return Message("POST", "/payments/momo/ipn", body=json.dumps(fields).encode(), headers=_json)


def zalopay_callback(reference: str, amount: int, *, key2: str = ZALOPAY_KEY2) -> Message:
    app_time = 1763868600000
    data = json.dumps(
        {
            "app_id": int(ZALOPAY_APP_ID),
            "app_trans_id": app_trans_id_for(reference, app_time),
            "app_time": app_time,
            "app_user": "cho-phien",
            "amount": amount,
            "embed_data": "{}",
            "item": "[]",
            "zp_trans_id": 251123000000123,
            "server_time": app_time + 60_000,
            "channel": 38,
            "merchant_user_id": "u1",
            "user_fee_amount": 0,
            "discount_amount": 0,
        },
        separators=(",", ":"),
    )
    body = json.dumps({"data": data, "mac": zalopay_mac(key2, data), "type": 1}).encode()
    return Message("POST", "/payments/zalopay/callback", body=body, headers=_json)


def stripe_webhook(reference: str, amount: int, *, secret: str = STRIPE_WEBHOOK_SECRET) -> Message:
    payload = json.dumps(
        {
            "id": "evt_3ChoPhien",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": "pi_3ChoPhien",
                    "object": "payment_intent",
                    "amount": amount,
                    "amount_received": amount,
                    "currency": "vnd",
                    "metadata": {"reference": reference},
                    "status": "succeeded",
                }
            },
        }
    )
    timestamp = int(time.time())
    v1 = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    headers = {**_json, "Stripe-Signature": f"t={timestamp},v1={v1}"}
    return Message("POST", "/payments/stripe/webhook", body=payload.encode(), headers=headers)


def payos_webhook(reference: str, amount: int, *, checksum_key: str = PAYOS_CHECKSUM) -> Message:
    data = {
        "orderCode": 123,
        "amount": amount,
        "description": f"CT DH {memo_reference(reference)} chuyen tien",
        "accountNumber": VIETQR_ACCOUNT,
        "reference": "FT25327000001",
        "transactionDateTime": "2026-11-23 10:30:00",
        "currency": "VND",
        "paymentLinkId": "",
        "code": "00",
        "desc": "Thành công",
        "counterAccountBankId": "",
        "counterAccountBankName": "",
        "counterAccountName": "",
        "counterAccountNumber": "",
        "virtualAccountName": "",
        "virtualAccountNumber": "",
    }
    envelope = {
        "code": "00",
        "desc": "success",
        "success": True,
        "data": data,
        "signature": payos_sign(checksum_key, canonical_data(data)),
    }
    return Message("POST", "/payments/payos/webhook", body=json.dumps(envelope).encode(), headers=_json)


def sandbox_notify(reference: str, amount: int, *, secret: str | None = None, status: str = "PAID") -> Message:
    from backend.orders.payments import configured_gateway
    from payments.sandbox import SandboxGateway

    gateway = SandboxGateway(secret) if secret else configured_gateway("sandbox")
    assert isinstance(gateway, SandboxGateway)
    body = gateway.sign_notification(reference, amount, status, transaction_id="SBX-1")
    return Message("POST", "/payments/sandbox/notify", body=body, headers=_json)


_json = {"Content-Type": "application/json"}


def send(client: Any, message: Message) -> Any:
    if message.method == "GET":
        return client.get(message.path, message.query, headers=message.headers)
    return client.post(
        message.path,
        message.body,
        content_type=message.headers.get("Content-Type", "application/octet-stream"),
        headers={k: v for k, v in message.headers.items() if k != "Content-Type"},
    )


# --- state checks -----------------------------------------------------------------------------


def assert_paid(placed: Placed) -> None:
    placed.payment.refresh_from_db()
    placed.order.refresh_from_db()
    assert placed.payment.status == PaymentStatus.PAID
    assert placed.payment.captured_amount == placed.payment.amount
    assert placed.order.payment_status == PaymentStatus.PAID
    seller_orders = list(placed.order.seller_orders.all())
    assert seller_orders and all(s.status == SellerOrderStatus.CONFIRMED for s in seller_orders)
    for seller_order in seller_orders:
        kinds = sorted(LedgerEntry.objects.filter(seller_order=seller_order).values_list("kind", flat=True))
        assert kinds == sorted([LedgerKind.SALE, LedgerKind.COMMISSION])


def assert_untouched(placed: Placed) -> None:
    placed.payment.refresh_from_db()
    placed.order.refresh_from_db()
    assert placed.payment.status == PaymentStatus.PENDING
    assert placed.payment.captured_amount == 0
    assert placed.order.payment_status == PaymentStatus.PENDING
    assert all(s.status == SellerOrderStatus.UNCONFIRMED for s in placed.order.seller_orders.all())
    assert not LedgerEntry.objects.filter(seller_order__order=placed.order).exists()


def last_event() -> PaymentEvent:
    event = PaymentEvent.objects.order_by("-id").first()
    assert event is not None
    return event
