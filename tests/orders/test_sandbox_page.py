"""The dev sandbox page: shows the order, and its Pay / Fail buttons (CSRF-protected POSTs) send a
signed notification through handle_notification, like /payments/sandbox/notify. Off without DEBUG."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backend.orders.models import LedgerEntry, PaymentEvent, PaymentStatus
from tests.orders.payment_helpers import (
    Placed,
    assert_paid,
    assert_untouched,
    configure_gateways,
    last_event,
    place_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(monkeypatch: pytest.MonkeyPatch, settings: Any, regions: None) -> Placed:
    configure_gateways(monkeypatch, settings)
    return place_order("sandbox", monkeypatch)


def _page(placed: Placed) -> str:
    return f"/payments/sandbox/{placed.payment.reference}"


def _press(client: Client, placed: Placed, outcome: str) -> Any:
    """GET the page for its CSRF cookie, then press a button the way a browser does."""
    assert client.get(_page(placed)).status_code == 200
    token = client.cookies["csrftoken"].value
    return client.post(_page(placed), {"outcome": outcome, "csrfmiddlewaretoken": token})


def test_page_shows_order_number_amount_and_two_protected_buttons(client: Client, placed: Placed) -> None:
    assert placed.payment.action_url.endswith(_page(placed))
    response = client.get(_page(placed))
    assert response.status_code == 200
    html = response.content.decode()
    assert placed.order.number in html
    assert "200.000 đ" in html
    assert html.count('method="post"') == 2
    assert html.count('name="csrfmiddlewaretoken"') == 2
    assert 'value="pay"' in html and 'value="fail"' in html
    assert_untouched(placed)
    assert not PaymentEvent.objects.exists()


def test_pay_button_pays_through_the_notification_path(placed: Placed) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _press(client, placed, "pay")
    assert response.status_code == 303
    assert response["Location"] == f"/orders/{placed.order.token}"
    assert_paid(placed)
    event = PaymentEvent.objects.get()
    assert (event.gateway, event.path, event.method) == ("sandbox", "/payments/sandbox/notify", "POST")
    assert (event.verified, event.outcome, event.payment_id) == (True, "OK", placed.payment.pk)
    assert '"signature"' in event.body

    # Pressing again is a replay: answered, logged, nothing changes.
    assert _press(client, placed, "pay").status_code == 303
    assert_paid(placed)
    assert last_event().outcome == "ALREADY_CONFIRMED"
    assert PaymentEvent.objects.count() == 2


def test_fail_button_marks_the_payment_failed(placed: Placed) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _press(client, placed, "fail").status_code == 303
    placed.payment.refresh_from_db()
    placed.order.refresh_from_db()
    assert placed.payment.status == PaymentStatus.FAILED
    assert placed.order.payment_status == PaymentStatus.FAILED
    assert not LedgerEntry.objects.exists()
    assert last_event().outcome == "OK"


def test_buttons_need_the_csrf_token(placed: Placed) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(_page(placed), {"outcome": "pay"}).status_code == 403
    assert_untouched(placed)
    assert not PaymentEvent.objects.exists()


def test_unknown_button_value_is_refused(client: Client, placed: Placed) -> None:
    assert client.post(_page(placed), {"outcome": "refund"}).status_code == 400
    assert_untouched(placed)
    assert not PaymentEvent.objects.exists()


def test_page_is_404_without_debug(client: Client, placed: Placed, settings: Any) -> None:
    settings.DEBUG = False
    assert client.get(_page(placed)).status_code == 404
    assert client.post(_page(placed), {"outcome": "pay"}).status_code == 404
    assert_untouched(placed)
    assert not PaymentEvent.objects.exists()


def test_page_is_404_for_unknown_or_other_gateway_references(
    client: Client, placed: Placed, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/payments/sandbox/CP991231ZZZZZP1").status_code == 404
    other = place_order("vnpay", monkeypatch)
    assert client.get(f"/payments/sandbox/{other.payment.reference}").status_code == 404
    assert client.post(f"/payments/sandbox/{other.payment.reference}", {"outcome": "pay"}).status_code == 404
    assert_untouched(other)
