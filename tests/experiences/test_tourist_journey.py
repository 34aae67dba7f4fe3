"""The tourist's whole journey through the public API: find an experience (typed without
diacritics), see availability, book 2 adults + 1 child, pay with the sandbox gateway, get three
tickets with QR and calendar files, check in (the second scan is refused), and cancel two other
bookings inside and outside the free-cancellation window with the policy's refund amounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.tokens import access_token_for
from backend.experiences.models import Booking, BookingStatus, Slot, Ticket
from backend.orders.models import LedgerEntry, LedgerKind, PaymentStatus, Refund, RefundStatus
from search import registry
from storefront_api.core.ids import global_id
from tests.conftest import GQL
from tests.experiences.helpers import ADULT, CHILD, make_tour
from tests.orders.payment_helpers import configure_gateways, sandbox_notify, send

pytestmark = pytest.mark.django_db

SEARCH = """query($q: String!) { search(query: $q, filter: {kind: EXPERIENCE}) {
  edges { node { id name kind pricing { priceMin { amount } }
    experience { durationMinutes meetingPoint languages minAge
      participantTypes { code name price { amount } } cancellationPolicyText } } } } }"""
AVAILABILITY = """query($p: ID!, $from: Date!, $to: Date!) {
  experienceAvailability(product: $p, dateFrom: $from, dateTo: $to) {
    id startsAt capacity remaining prices { participantType price { amount } } } }"""
CREATE = "mutation { checkoutCreate(lines: []) { checkout { id } errors { code message } } }"
BOOK = """mutation($id: ID!, $slot: ID!, $people: [ParticipantInput!]!) {
  checkoutBookingAdd(id: $id, slot: $slot, participants: $people) {
    checkout { total { amount } availableGateways { id }
      lines { quantity total { amount } slot { id remaining } participants { participantType quantity } } }
    errors { field code message } } }"""
CONTACT = """mutation($id: ID!) { checkoutContactUpdate(id: $id, fullName: "Trần Thị Bích",
  phone: "0912 345 678", email: "bich@example.vn") { errors { field code message } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id, gateway: "sandbox") {
  order { id token number total { amount } paymentStatus tickets { code } }
  payment { status amount { amount } action { kind url } } errors { code message } } }"""
ORDER = """query($t: String!) { orderByToken(token: $t) { number paymentStatus status
  sellerOrders { status total { amount } }
  bookings { id status total { amount } refundIfCancelledNow { amount } }
  tickets { id code participantType participantName status bookingStatus checkedInAt qrSvg qrUrl calendarUrl
    slot { id startsAt } } } }"""
CHECK_IN = """mutation($code: String!) { ticketCheckIn(code: $code) {
  ticket { code checkedInAt } errors { field code message } } }"""
CANCEL = """mutation($id: ID!, $token: String) { bookingCancel(id: $id, orderToken: $token, reason: "Đổi lịch") {
  booking { status refundedAmount { amount } } refundPercent refundAmount { amount } errors { code message } } }"""


@pytest.fixture
def live_search(settings, tmp_path):
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    yield
    registry.reset()


def _book(gql: GQL, slot_id: str, adults: int, children: int = 0) -> tuple[str, dict]:
    checkout_id = gql(CREATE).payload("checkoutCreate")["checkout"]["id"]
    people = [{"participantType": "adult", "quantity": adults}]
    if children:
        people.append({"participantType": "child", "quantity": children})
    booked = gql(BOOK, {"id": checkout_id, "slot": slot_id, "people": people}).payload("checkoutBookingAdd")
    assert booked["errors"] == []
    assert gql(CONTACT, {"id": checkout_id}).payload("checkoutContactUpdate")["errors"] == []
    return checkout_id, booked["checkout"]


def _pay(gql: GQL, client, checkout_id: str) -> dict:
    completed = gql(COMPLETE, {"id": checkout_id}).payload("checkoutComplete")
    assert completed["errors"] == [], completed["errors"]
    order = completed["order"]
    assert completed["payment"]["status"] == "PENDING"
    assert completed["payment"]["action"]["kind"] == "REDIRECT"
    reference = f"{order['number']}P1"
    response = send(client, sandbox_notify(reference, order["total"]["amount"]))
    assert response.status_code == 200, response.content
    return order


def test_tourist_books_pays_gets_tickets_checks_in_and_cancels(
    regions, gql: GQL, client, monkeypatch, settings, live_search, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    configure_gateways(monkeypatch, settings)
    with django_capture_on_commit_callbacks(execute=True):
        tour = make_tour(capacity=12)
        soon = tour.slot(days=2)  # inside 72 h: half refund
        later = tour.slot(days=10)  # more than 72 h ahead: full refund
    # 1. Find it by typing without diacritics.
    found = gql(SEARCH, {"q": "vuot thac datanla"})
    assert not found.errors, found.errors
    node = found.data["search"]["edges"][0]["node"]
    assert node["name"] == "Vượt thác Datanla" and node["kind"] == "EXPERIENCE"
    assert node["pricing"]["priceMin"]["amount"] == CHILD
    assert node["experience"]["durationMinutes"] == 240
    assert {t["code"] for t in node["experience"]["participantTypes"]} == {"adult", "child"}
    assert node["experience"]["cancellationPolicyText"][0].startswith("Hoàn tiền toàn bộ")

    # 2. Availability over the coming fortnight.
    today = timezone.localdate()
    slots = gql(
        AVAILABILITY, {"p": node["id"], "from": today.isoformat(), "to": (today + timedelta(days=14)).isoformat()}
    ).data["experienceAvailability"]
    assert [s["id"] for s in slots] == [global_id("Slot", soon.pk), global_id("Slot", later.pk)]
    assert slots[1]["remaining"] == 12 and slots[1]["startsAt"].endswith("T08:00:00+07:00")
    assert {p["participantType"]: p["price"]["amount"] for p in slots[1]["prices"]} == {"adult": ADULT, "child": CHILD}

    # 3. Book 2 adults + 1 child in the later slot; the places are held at once.
    checkout_id, checkout = _book(gql, slots[1]["id"], adults=2, children=1)
    assert checkout["total"]["amount"] == 2 * ADULT + CHILD
    assert checkout["lines"][0]["quantity"] == 3 and checkout["lines"][0]["slot"]["remaining"] == 9
    assert "cod" not in {g["id"] for g in checkout["availableGateways"]}  # places are paid up front
    again = gql(AVAILABILITY, {"p": node["id"], "from": today.isoformat(), "to": today.isoformat()})
    assert again.data["experienceAvailability"] == []
    held = gql(
        AVAILABILITY,
        {"p": node["id"], "from": later.starts_at.date().isoformat(), "to": later.starts_at.date().isoformat()},
    ).data["experienceAvailability"]
    assert held[0]["remaining"] == 9

    # 4. Pay through the sandbox gateway (its signed notification through HTTP).
    with django_capture_on_commit_callbacks(execute=True):
        order = _pay(gql, client, checkout_id)
    assert order["paymentStatus"] == "PENDING" and len(order["tickets"]) == 3
    paid = gql(ORDER, {"t": order["token"]}).data["orderByToken"]
    assert paid["paymentStatus"] == "PAID" and paid["sellerOrders"][0]["status"] == "CONFIRMED"
    tickets = paid["tickets"]
    assert sorted(t["participantType"] for t in tickets) == ["adult", "adult", "child"]
    assert all(t["status"] == "VALID" and t["bookingStatus"] == "CONFIRMED" for t in tickets)
    assert len({t["code"] for t in tickets}) == 3
    assert all(t["qrSvg"].lstrip().startswith("<svg") for t in tickets)
    assert Slot.objects.get(pk=later.pk).booked == 3
    # The tickets arrive by e-mail with a calendar file and a QR image each.
    ticket_mail = next(m for m in mailoutbox if "Vé" in m.subject or "Tickets" in m.subject)
    assert {name.rsplit(".", 1)[1] for name, *_ in ticket_mail.attachments} == {"ics", "png"}
    assert len(ticket_mail.attachments) == 6
    # QR image and calendar file over HTTP.
    code = tickets[0]["code"]
    qr = client.get(f"/tickets/{code}/qr.png")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png" and qr.content[:4] == b"\x89PNG"
    ics = client.get(f"/tickets/{code}/calendar.ics").content.decode()
    # 08:00 in Đà Lạt is 01:00 UTC.
    assert "BEGIN:VEVENT" in ics and f"DTSTART:{later.starts_at:%Y%m%d}T010000Z" in ics
    assert client.get("/tickets/AAAA-BBBB-CCCC/qr.png").status_code == 404

    # 5. Check in on the day: the first scan passes, the second is refused and changes nothing.
    staff_token = access_token_for(tour.staff)
    with monkeypatch.context() as day:
        day.setattr("django.utils.timezone.now", lambda: later.starts_at - timedelta(minutes=30))
        first = gql(CHECK_IN, {"code": code.lower().replace("-", "")}, token=staff_token).payload("ticketCheckIn")
        assert first["errors"] == [] and first["ticket"]["checkedInAt"]
        second = gql(CHECK_IN, {"code": code}, token=staff_token, lang="en").payload("ticketCheckIn")
    assert [e["code"] for e in second["errors"]] == ["ALREADY_CHECKED_IN"]
    assert second["errors"][0]["message"].startswith("Already checked in at")
    assert second["ticket"]["checkedInAt"] == first["ticket"]["checkedInAt"]
    assert Ticket.objects.filter(checked_in_at__isnull=False).count() == 1

    # 6. Two more bookings, cancelled by their buyers: outside the free window (2 days ahead, 50 %)
    #    and inside it (10 days ahead, 100 %). Refunds go back through the sandbox adapter.
    with django_capture_on_commit_callbacks(execute=True):
        near_checkout, _ = _book(gql, global_id("Slot", soon.pk), adults=1, children=1)
        near = _pay(gql, client, near_checkout)
        far_checkout, _ = _book(gql, global_id("Slot", later.pk), adults=2)
        far = _pay(gql, client, far_checkout)
    near_booking = gql(ORDER, {"t": near["token"]}).data["orderByToken"]["bookings"][0]
    assert near_booking["refundIfCancelledNow"]["amount"] == (ADULT + CHILD) // 2
    with django_capture_on_commit_callbacks(execute=True):
        half = gql(CANCEL, {"id": near_booking["id"], "token": near["token"]}).payload("bookingCancel")
    assert half["errors"] == []
    assert half["refundPercent"] == 50 and half["refundAmount"]["amount"] == (ADULT + CHILD) // 2
    assert half["booking"]["status"] == "CANCELLED"
    far_booking = gql(ORDER, {"t": far["token"]}).data["orderByToken"]["bookings"][0]
    stranger = gql(CANCEL, {"id": far_booking["id"], "token": near["token"]}).payload("bookingCancel")
    assert [e["code"] for e in stranger["errors"]] == ["PERMISSION_DENIED"]
    with django_capture_on_commit_callbacks(execute=True):
        full = gql(CANCEL, {"id": far_booking["id"], "token": far["token"]}).payload("bookingCancel")
    assert full["refundPercent"] == 100 and full["refundAmount"]["amount"] == 2 * ADULT
    twice = gql(CANCEL, {"id": far_booking["id"], "token": far["token"]}).payload("bookingCancel")
    assert [e["code"] for e in twice["errors"]] == ["INVALID_TRANSITION"]

    refunds = {r.amount: r for r in Refund.objects.all()}
    assert set(refunds) == {(ADULT + CHILD) // 2, 2 * ADULT}
    assert all(r.status == RefundStatus.CONFIRMED for r in refunds.values())
    near_order = gql(ORDER, {"t": near["token"]}).data["orderByToken"]
    assert near_order["paymentStatus"] == PaymentStatus.PARTIALLY_REFUNDED
    far_order = gql(ORDER, {"t": far["token"]}).data["orderByToken"]
    assert far_order["paymentStatus"] == PaymentStatus.REFUNDED
    assert far_order["status"] == "CANCELLED" and far_order["tickets"][0]["status"] == "CANCELLED"
    # Places came back; the ledger took the refunds off the operator's sales.
    late = gql(
        AVAILABILITY,
        {"p": node["id"], "from": later.starts_at.date().isoformat(), "to": later.starts_at.date().isoformat()},
    ).data["experienceAvailability"][0]
    assert late["remaining"] == 12 - 3
    soon.refresh_from_db()
    assert soon.booked == 0
    refunded = LedgerEntry.objects.filter(seller=tour.seller, kind=LedgerKind.REFUND)
    assert sorted(-e.amount for e in refunded) == sorted(refunds)
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
