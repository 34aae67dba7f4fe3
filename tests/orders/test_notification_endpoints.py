"""Every gateway notification endpoint, through HTTP: a valid message pays the order once, a replay
changes nothing, forged or tampered messages change nothing, and every request leaves exactly one
PaymentEvent. Plus the VNPay return page (display only) and concurrent IPNs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from backend.orders.models import LedgerEntry, LedgerKind, PaymentEvent, PaymentStatus, SellerOrderStatus
from tests.orders.payment_helpers import (
    MOMO_SECRET,
    WRONG_SECRET,
    Message,
    Placed,
    assert_paid,
    assert_untouched,
    configure_gateways,
    last_event,
    momo_ipn,
    payos_webhook,
    place_order,
    sandbox_notify,
    send,
    stripe_webhook,
    vnpay_ipn,
    zalopay_callback,
)

UNKNOWN_REFERENCE = "CP991231ZZZZZP1"


@dataclass(frozen=True)
class Case:
    gateway: str
    build: Callable[..., Message]  # (reference, amount, forged) -> signed message
    answer: Callable[[Any], object]  # what the gateway reads in our reply
    ok: object
    replay: object
    forged: object
    mismatch: object
    unknown: object

    def __str__(self) -> str:
        return self.gateway


def _json_field(name: str) -> Callable[[Any], object]:
    return lambda response: (response.status_code, response.json().get(name))


CASES = [
    Case(
        "vnpay",
        lambda ref, amount, forged=False: vnpay_ipn(ref, amount, **({"secret": WRONG_SECRET} if forged else {})),
        _json_field("RspCode"),
        ok=(200, "00"),
        replay=(200, "02"),
        forged=(200, "97"),
        mismatch=(200, "04"),
        unknown=(200, "01"),
    ),
    Case(
        "momo",
        lambda ref, amount, forged=False: momo_ipn(ref, amount, secret=WRONG_SECRET if forged else MOMO_SECRET),
        lambda response: (response.status_code, response.content),
        ok=(204, b""),
        replay=(204, b""),
        forged=(400, b""),
        mismatch=(204, b""),
        unknown=(204, b""),
    ),
    Case(
        "zalopay",
        lambda ref, amount, forged=False: zalopay_callback(ref, amount, **({"key2": WRONG_SECRET} if forged else {})),
        _json_field("return_code"),
        ok=(200, 1),
        replay=(200, 1),
        forged=(200, -1),
        mismatch=(200, -1),
        unknown=(200, 0),
    ),
    Case(
        "stripe",
        lambda ref, amount, forged=False: stripe_webhook(ref, amount, **({"secret": WRONG_SECRET} if forged else {})),
        _json_field("received"),
        ok=(200, True),
        replay=(200, True),
        forged=(400, False),
        mismatch=(200, True),
        unknown=(200, True),
    ),
    Case(
        "vietqr",
        lambda ref, amount, forged=False: payos_webhook(
            ref, amount, **({"checksum_key": WRONG_SECRET} if forged else {})
        ),
        _json_field("success"),
        ok=(200, True),
        replay=(200, True),
        forged=(400, False),
        mismatch=(200, True),
        unknown=(200, True),
    ),
    Case(
        "sandbox",
        lambda ref, amount, forged=False: sandbox_notify(ref, amount, **({"secret": WRONG_SECRET} if forged else {})),
        lambda response: (response.status_code, response.json().get("error")),
        ok=(200, None),
        replay=(200, None),
        forged=(400, "BAD_SIGNATURE"),
        mismatch=(200, "AMOUNT_MISMATCH"),
        unknown=(200, "NOT_FOUND"),
    ),
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateways(monkeypatch: pytest.MonkeyPatch, settings: Any, regions: None) -> None:
    configure_gateways(monkeypatch, settings)


def _placed(case: Case, monkeypatch: pytest.MonkeyPatch) -> Placed:
    return place_order(case.gateway, monkeypatch)


def _send_one(client: Client, message: Message) -> Any:
    """Send and check that exactly one PaymentEvent row was written for it."""
    before = PaymentEvent.objects.count()
    response = send(client, message)
    assert PaymentEvent.objects.count() == before + 1
    event = last_event()
    assert event.path == message.path and event.method == message.method and event.outcome
    return response


@pytest.mark.parametrize("case", CASES, ids=str)
def test_valid_notification_pays_once_and_replay_changes_nothing(
    case: Case, client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = _placed(case, monkeypatch)
    message = case.build(placed.payment.reference, placed.payment.amount)

    assert case.answer(_send_one(client, message)) == case.ok
    assert_paid(placed)
    event = last_event()
    assert (event.gateway, event.verified, event.outcome) == (case.gateway, True, "OK")
    assert event.payment_id == placed.payment.pk and event.reference == placed.payment.reference
    paid_at = placed.payment.paid_at

    assert case.answer(_send_one(client, message)) == case.replay
    assert_paid(placed)  # still exactly one SALE and one COMMISSION
    assert placed.payment.paid_at == paid_at
    assert (last_event().verified, last_event().outcome) == (True, "ALREADY_CONFIRMED")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_forged_signature_changes_nothing(
    case: Case, client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = _placed(case, monkeypatch)
    message = case.build(placed.payment.reference, placed.payment.amount, True)

    assert case.answer(_send_one(client, message)) == case.forged
    assert_untouched(placed)
    event = last_event()
    assert (event.verified, event.outcome, event.payment_id) == (False, "BAD_SIGNATURE", None)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_tampered_amount_resigned_with_the_right_secret_is_not_paid(
    case: Case, client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = _placed(case, monkeypatch)
    message = case.build(placed.payment.reference, placed.payment.amount - 1_000)

    assert case.answer(_send_one(client, message)) == case.mismatch
    assert_untouched(placed)
    event = last_event()
    assert (event.verified, event.outcome, event.payment_id) == (True, "AMOUNT_MISMATCH", placed.payment.pk)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_unknown_order_reference_changes_nothing(
    case: Case, client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = _placed(case, monkeypatch)
    message = case.build(UNKNOWN_REFERENCE, placed.payment.amount)

    assert case.answer(_send_one(client, message)) == case.unknown
    assert_untouched(placed)
    assert (last_event().verified, last_event().outcome) == (True, "NOT_FOUND")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/payments/vnpay/ipn", "get"),
        ("/payments/momo/ipn", "post"),
        ("/payments/zalopay/callback", "post"),
        ("/payments/stripe/webhook", "post"),
        ("/payments/payos/webhook", "post"),
        ("/payments/sandbox/notify", "post"),
    ],
)
def test_unconfigured_gateway_answers_404_and_logs_nothing(
    path: str, method: str, client: Client, settings: Any
) -> None:
    settings.DEBUG = False
    response = (
        getattr(client, method)(path, b"{}", content_type="application/json") if method == "post" else client.get(path)
    )
    assert response.status_code == 404
    assert not PaymentEvent.objects.exists()


@pytest.mark.parametrize(
    ("path", "wrong_method"),
    [
        ("/payments/vnpay/ipn", "post"),
        ("/payments/momo/ipn", "get"),
        ("/payments/zalopay/callback", "get"),
        ("/payments/stripe/webhook", "put"),
        ("/payments/payos/webhook", "get"),
        ("/payments/sandbox/notify", "get"),
    ],
)
def test_other_http_methods_are_refused(path: str, wrong_method: str, client: Client, gateways: None) -> None:
    assert getattr(client, wrong_method)(path).status_code == 405
    assert not PaymentEvent.objects.exists()


# --- VNPay specifics --------------------------------------------------------------------------


def test_vnpay_failed_payment_is_recorded_and_answered_00(
    client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = place_order("vnpay", monkeypatch)
    failed = vnpay_ipn(placed.payment.reference, placed.payment.amount, response_code="24", transaction_no="0")

    assert _send_one(client, failed).json() == {"RspCode": "00", "Message": "Confirm Success"}
    placed.payment.refresh_from_db()
    placed.order.refresh_from_db()
    assert placed.payment.status == PaymentStatus.FAILED
    assert placed.order.payment_status == PaymentStatus.FAILED
    assert all(s.status == SellerOrderStatus.UNCONFIRMED for s in placed.order.seller_orders.all())
    assert not LedgerEntry.objects.exists()
    # A later "paid" for the same attempt is answered as already handled and changes nothing.
    late = vnpay_ipn(placed.payment.reference, placed.payment.amount)
    assert _send_one(client, late).json()["RspCode"] == "02"
    placed.payment.refresh_from_db()
    assert placed.payment.status == PaymentStatus.FAILED


def test_vnpay_ipn_records_the_sender_address(
    client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    placed = place_order("vnpay", monkeypatch)
    message = vnpay_ipn(placed.payment.reference, placed.payment.amount)
    client.get(message.path, message.query, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert last_event().source_ip == "203.0.113.7"  # X-Forwarded-For is ignored without trusted proxies
    settings.TRUSTED_PROXY_COUNT = 1
    client.get(message.path, message.query, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 113.160.1.9")
    assert last_event().source_ip == "113.160.1.9"
    client.get(message.path, message.query, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert last_event().source_ip is None


def test_vnpay_return_page_shows_the_result_but_never_changes_state(
    client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = place_order("vnpay", monkeypatch)
    signed = vnpay_ipn(placed.payment.reference, placed.payment.amount, path="/payments/vnpay/return")

    response = client.get(signed.path, signed.query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-result="paid"' in html
    assert placed.order.number in html and f"/orders/{placed.order.token}" in html
    assert 'data-payment-status="PENDING"' in html
    assert_untouched(placed)
    assert not PaymentEvent.objects.exists()

    forged = vnpay_ipn(placed.payment.reference, placed.payment.amount, secret=WRONG_SECRET)
    html = client.get("/payments/vnpay/return", forged.query).content.decode()
    assert 'data-result="invalid"' in html and placed.order.number not in html

    failed = vnpay_ipn(placed.payment.reference, placed.payment.amount, response_code="24")
    assert 'data-result="failed"' in client.get("/payments/vnpay/return", failed.query).content.decode()
    assert_untouched(placed)


def test_vnpay_return_page_shows_the_confirmed_status_after_the_ipn(
    client: Client, gateways: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = place_order("vnpay", monkeypatch)
    message = vnpay_ipn(placed.payment.reference, placed.payment.amount)
    send(client, message)
    html = client.get("/payments/vnpay/return", message.query).content.decode()
    assert 'data-payment-status="PAID"' in html and 'data-result="paid"' in html


def test_vnpay_return_page_is_404_without_vnpay(client: Client, settings: Any) -> None:
    assert client.get("/payments/vnpay/return", {"vnp_TxnRef": "X"}).status_code == 404


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_ipns_pay_exactly_once(gateways: None, monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    message = vnpay_ipn(placed.payment.reference, placed.payment.amount)
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    codes: list[str] = []
    failures: list[Exception] = []
    lock = threading.Lock()

    def fire() -> None:
        try:
            own = Client()
            barrier.wait(timeout=30)
            code = own.get(message.path, message.query).json()["RspCode"]
            with lock:
                codes.append(code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted in the test's thread
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures
    assert sorted(codes) == ["00"] + ["02"] * (threads_count - 1)
    assert_paid(placed)
    assert LedgerEntry.objects.filter(kind=LedgerKind.SALE).count() == 1
    assert PaymentEvent.objects.filter(gateway="vnpay").count() == threads_count
    assert sorted(PaymentEvent.objects.values_list("outcome", flat=True)) == sorted(
        ["OK"] + ["ALREADY_CONFIRMED"] * (threads_count - 1)
    )
