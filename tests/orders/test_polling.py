"""Polling of pending payments (VNPay querydr, ZaloPay /v2/query) with fake openers: definite
answers go through apply_notification; unclear, unsigned, mismatched or failed queries change nothing."""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.utils import timezone

from backend.orders import polling
from backend.orders.models import LedgerEntry, PaymentEvent, PaymentStatus
from backend.orders.tasks import poll_pending_payments as poll_task
from payments.signing import format_vietnam_time
from payments.vnpay import RESPONSE_HASH_ORDER, VNPayGateway, pipe_checksum
from payments.zalopay import ZaloPayGateway, app_trans_id_for
from tests.orders.payment_helpers import (
    VNPAY_SECRET,
    VNPAY_TMN,
    ZALOPAY_APP_ID,
    ZALOPAY_KEY1,
    ZALOPAY_KEY2,
    Placed,
    assert_paid,
    assert_untouched,
    configure_gateways,
    place_order,
)
from tests.payments.conftest import RecordingOpener

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gateways(monkeypatch: pytest.MonkeyPatch, settings: Any, regions: None) -> None:
    configure_gateways(monkeypatch, settings)
    settings.PAYMENT_POLL_AFTER_MINUTES = 15


def later(minutes: int = 20) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def querydr_answer(
    placed: Placed, *, status: str = "00", amount: int | None = None, signed: bool = True
) -> dict[str, str]:
    answer = {
        "vnp_ResponseId": "resp-1",
        "vnp_Command": "querydr",
        "vnp_ResponseCode": "00",
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": VNPAY_TMN,
        "vnp_TxnRef": placed.payment.reference,
        "vnp_Amount": str((placed.payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261123103500",
        "vnp_TransactionNo": "14422999",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status,
        "vnp_OrderInfo": "Thanh toan don hang",
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    if signed:
        answer["vnp_SecureHash"] = pipe_checksum(answer, RESPONSE_HASH_ORDER, VNPAY_SECRET)[1]
    return answer


def vnpay(opener: RecordingOpener) -> VNPayGateway:
    return VNPayGateway(VNPAY_TMN, VNPAY_SECRET, opener=opener)


class ZaloPayOpener:
    """Answers /v2/query with canned JSON and records the posted forms."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.calls: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        self.calls.append((url, dict(parse_qsl(body.decode()))))
        return json.dumps(self.answer).encode()


def zalopay(opener: ZaloPayOpener) -> ZaloPayGateway:
    return ZaloPayGateway(app_id=ZALOPAY_APP_ID, key1=ZALOPAY_KEY1, key2=ZALOPAY_KEY2, opener=opener)


def test_vnpay_paid_answer_pays_through_apply_notification(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    opener = RecordingOpener(answer=querydr_answer(placed))

    summary = polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(opener)})

    assert (summary.checked, summary.applied, summary.errors) == (1, 1, 0)
    sent = opener.last_json
    assert sent["vnp_Command"] == "querydr" and sent["vnp_TxnRef"] == placed.payment.reference
    assert sent["vnp_TransactionDate"] == format_vietnam_time(placed.payment.created_at.timestamp())
    assert_paid(placed)
    placed.payment.refresh_from_db()
    assert placed.payment.gateway_transaction_id == "14422999"
    event = PaymentEvent.objects.get()
    assert (event.method, event.verified, event.outcome, event.payment_id) == ("QUERY", True, "OK", placed.payment.pk)

    # Paid payments are not asked about again.
    again = polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(opener)})
    assert again.checked == 0 and len(opener.requests) == 1


def test_recent_payments_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    opener = RecordingOpener(answer=querydr_answer(placed))
    summary = polling.poll_pending_payments(later(5), gateways={"vnpay": vnpay(opener)})
    assert summary.checked == 0 and not opener.requests
    assert_untouched(placed)


def test_vnpay_failed_transaction_marks_the_payment_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    opener = RecordingOpener(answer=querydr_answer(placed, status="02"))
    assert polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(opener)}).applied == 1
    placed.payment.refresh_from_db()
    placed.order.refresh_from_db()
    assert placed.payment.status == PaymentStatus.FAILED == placed.order.payment_status
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("answer_kwargs", "logged"),
    [
        ({"status": "01"}, False),  # not finished yet
        ({"status": "07"}, False),  # suspicious: fail closed
        ({"amount": 1_000}, True),  # the gateway saw another amount
    ],
    ids=["unfinished", "suspicious", "amount-mismatch"],
)
def test_vnpay_unclear_or_mismatched_answers_change_nothing(
    monkeypatch: pytest.MonkeyPatch, answer_kwargs: dict[str, Any], logged: bool
) -> None:
    placed = place_order("vnpay", monkeypatch)
    opener = RecordingOpener(answer=querydr_answer(placed, **answer_kwargs))
    summary = polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(opener)})
    assert (summary.checked, summary.applied, summary.errors) == (1, 0, 0)
    assert_untouched(placed)
    assert list(PaymentEvent.objects.values_list("outcome", flat=True)) == (["AMOUNT_MISMATCH"] if logged else [])


@pytest.mark.parametrize(
    "opener",
    [
        RecordingOpener(error=urllib.error.URLError("timed out")),
        RecordingOpener(answer=b"<html>502 Bad Gateway</html>"),
    ],
    ids=["network-error", "not-json"],
)
def test_vnpay_query_errors_are_skipped(monkeypatch: pytest.MonkeyPatch, opener: RecordingOpener) -> None:
    placed = place_order("vnpay", monkeypatch)
    summary = polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(opener)})
    assert (summary.checked, summary.applied, summary.errors) == (1, 0, 1)
    assert_untouched(placed)


def test_vnpay_unsigned_or_wrongly_signed_answers_are_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    unsigned = RecordingOpener(answer=querydr_answer(placed, signed=False))
    assert polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(unsigned)}).errors == 1
    forged = querydr_answer(placed)
    forged["vnp_SecureHash"] = "0" * 128
    assert polling.poll_pending_payments(later(), gateways={"vnpay": vnpay(RecordingOpener(answer=forged))}).errors == 1
    assert_untouched(placed)


def test_zalopay_paid_answer_pays_and_an_error_elsewhere_does_not_stop_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = place_order("vnpay", monkeypatch)
    placed = place_order("zalopay", monkeypatch)
    opener = ZaloPayOpener(
        {"return_code": 1, "is_processing": False, "amount": placed.payment.amount, "zp_trans_id": 251123999}
    )

    summary = polling.poll_pending_payments(
        later(),
        gateways={"vnpay": vnpay(RecordingOpener(error=OSError("unreachable"))), "zalopay": zalopay(opener)},
    )

    assert (summary.checked, summary.applied, summary.errors) == (2, 1, 1)
    url, form = opener.calls[0]
    assert url.endswith("/v2/query")
    # No app_trans_id was kept at start: derived from the reference and the creation time.
    expected = app_trans_id_for(placed.payment.reference, int(placed.payment.created_at.timestamp() * 1000))
    assert form["app_trans_id"] == expected
    assert_paid(placed)
    assert_untouched(broken)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"return_code": 3, "is_processing": True}, PaymentStatus.PENDING),
        ({"return_code": 1, "is_processing": True, "amount": 200_000}, PaymentStatus.PENDING),
        ({"return_code": 2, "is_processing": False}, PaymentStatus.FAILED),
        ({"return_code": 1, "is_processing": False, "amount": 150_000}, PaymentStatus.PENDING),
    ],
    ids=["processing", "paid-but-processing", "failed", "amount-mismatch"],
)
def test_zalopay_answers(monkeypatch: pytest.MonkeyPatch, answer: dict[str, Any], expected: str) -> None:
    placed = place_order("zalopay", monkeypatch)
    kept = f"240101_{placed.payment.reference}"  # what start() kept (another day than created_at)
    placed.payment.gateway_transaction_id = kept
    placed.payment.save(update_fields=["gateway_transaction_id"])
    opener = ZaloPayOpener(answer)
    summary = polling.poll_pending_payments(later(), gateways={"zalopay": zalopay(opener)})
    assert opener.calls[0][1]["app_trans_id"] == kept and summary.errors == 0
    placed.payment.refresh_from_db()
    assert placed.payment.status == expected
    assert not LedgerEntry.objects.exists()


def test_celery_task_polls_the_configured_gateways(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = place_order("vnpay", monkeypatch)
    opener = RecordingOpener(answer=querydr_answer(placed))
    # Make the configured VNPay adapter use the fake opener (no network).
    monkeypatch.setattr(
        polling, "configured_gateway", lambda gateway_id: vnpay(opener) if gateway_id == "vnpay" else None
    )
    moment = later()
    monkeypatch.setattr(polling.timezone, "now", lambda: moment)
    assert poll_task() == {"checked": 1, "applied": 1, "errors": 0}
    assert_paid(placed)
