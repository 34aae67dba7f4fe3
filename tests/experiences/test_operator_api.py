"""The operator's GraphQL: setting up an experience, slots and cancellations, participant lists,
check-in and no-shows. Only the seller's staff may act (IDOR tests for every operation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.tokens import access_token_for
from backend.experiences import services
from backend.experiences.models import Booking, BookingStatus, Experience, Slot, SlotStatus, Ticket
from backend.orders.models import PaymentStatus, Refund
from storefront_api.core.ids import global_id
from tests.conftest import GQL
from tests.experiences.helpers import ADULT, CHILD, make_tour
from tests.experiences.operations import book_and_pay
from tests.factories import SellerFactory, add_staff

pytestmark = pytest.mark.django_db

UPDATE = """mutation($p: ID!, $input: ExperienceInput!) { experienceUpdate(product: $p, input: $input) {
  experience { durationMinutes capacity minAge languages participantTypes { code price { amount } }
    cancellationPolicy { hoursBefore refundPercent } } errors { field code message } } }"""
SLOT_CREATE = """mutation($p: ID!, $at: DateTime!, $cap: Int) { slotCreate(product: $p, startsAt: $at, capacity: $cap) {
  slot { id startsAt capacity } errors { field code message } } }"""
SLOT_UPDATE = """mutation($id: ID!, $cap: Int!) { slotUpdate(id: $id, capacity: $cap) {
  slot { capacity } errors { code } } }"""
SLOT_CANCEL = """mutation($id: ID!) { slotCancel(id: $id, reason: "Mưa lớn, thác nguy hiểm") {
  slot { status remaining } errors { code } } }"""
BLACKOUT = """mutation($p: ID!, $d: Date!) { experienceBlackoutAdd(product: $p, date: $d) {
  blackoutDate { id date } errors { code } } }"""
SCHEDULE = """mutation($p: ID!) { experienceScheduleCreate(product: $p,
  input: {weekdays: [5], startTimes: ["07:00"], validFrom: "2026-12-01"}) { schedule { id } errors { code } } }"""
BOOKINGS = """query($slot: ID!) { slotBookings(slot: $slot) { id status contactName contactPhone quantity
  participants { participantType quantity } tickets { code checkedInAt } } }"""
SLOTS = (
    """query($p: ID!, $from: Date!, $to: Date!) { experienceSlots(product: $p, dateFrom: $from, dateTo: $to) { id } }"""
)
CHECK_IN = """mutation($code: String!, $other: Boolean) { ticketCheckIn(code: $code, allowOtherDay: $other) {
  ticket { code checkedInAt } errors { code message } } }"""
NO_SHOW = "mutation($id: ID!) { bookingNoShow(id: $id) { booking { status } errors { code } } }"
TICKET = "query($code: String!) { ticket(code: $code) { code participantType slot { startsAt } } }"


def test_a_new_experience_product_is_ready_to_set_up(regions, gql: GQL) -> None:
    tour = make_tour()
    create = """mutation($s: ID!, $c: ID!) { productCreate(seller: $s,
      input: {name: "Tour hái dâu", description: "Sáng", category: $c, kind: EXPERIENCE}) {
      product { id experience { durationMinutes participantTypes { code } } } errors { code } } }"""
    made = gql(
        create,
        {"s": global_id("Seller", tour.seller.pk), "c": global_id("Category", tour.product.category_id)},
        user=tour.staff,
    ).payload("productCreate")
    assert made["errors"] == [] and made["product"]["experience"] == {"durationMinutes": 120, "participantTypes": []}


def test_operator_sets_up_an_experience_with_clear_errors(regions, gql: GQL) -> None:
    tour = make_tour()
    product = global_id("Product", tour.product.pk)
    done = gql(
        UPDATE,
        {
            "p": product,
            "input": {
                "durationMinutes": 180,
                "capacity": 16,
                "languages": ["vi", "en", "fr"],
                "participantTypes": [
                    {"code": "adult", "name": "Người lớn", "price": 500_000},
                    {"code": "senior", "name": "Người cao tuổi", "price": 350_000},
                ],
                "cancellationPolicy": [{"hoursBefore": 48, "refundPercent": 100}],
            },
        },
        user=tour.staff,
    ).payload("experienceUpdate")
    assert done["errors"] == []
    assert done["experience"]["capacity"] == 16 and done["experience"]["languages"] == ["vi", "en", "fr"]
    assert [t["code"] for t in done["experience"]["participantTypes"]] == ["adult", "senior"]
    tour.product.refresh_from_db()
    assert (tour.product.price_min, tour.product.price_max) == (350_000, 500_000)
    bad = gql(
        UPDATE,
        {
            "p": product,
            "input": {
                "durationMinutes": 5,
                "participantTypes": [],
                "cancellationPolicy": [{"hoursBefore": 5, "refundPercent": 300}],
            },
        },
        user=tour.staff,
        lang="en",
    ).payload("experienceUpdate")
    assert {e["field"] for e in bad["errors"]} == {
        "durationMinutes",
        "participantTypes",
        "cancellationPolicy.0.refundPercent",
    }
    assert Experience.objects.get(pk=tour.experience.pk).duration_minutes == 180  # nothing half-written
    past = gql(SLOT_CREATE, {"p": product, "at": "2020-01-01T08:00:00+07:00"}, user=tour.staff).payload("slotCreate")
    assert [e["field"] for e in past["errors"]] == ["startsAt"]
    day = timezone.localdate() + timedelta(days=3)
    made = gql(SLOT_CREATE, {"p": product, "at": f"{day}T08:00:00+07:00", "cap": 6}, user=tour.staff).payload(
        "slotCreate"
    )
    assert made["errors"] == [] and made["slot"]["capacity"] == 6
    assert made["slot"]["startsAt"] == f"{day}T08:00:00+07:00"
    twice = gql(SLOT_CREATE, {"p": product, "at": f"{day}T01:00:00+00:00"}, user=tour.staff).payload("slotCreate")
    assert [e["code"] for e in twice["errors"]] == ["UNIQUE"]  # the same moment written in UTC


def test_another_sellers_staff_can_touch_nothing(regions, gql: GQL, client, monkeypatch, settings) -> None:
    tour = make_tour()
    slot = tour.slot(days=5)
    order = book_and_pay(client, monkeypatch, settings, slot=slot, adults=1)
    ticket = Ticket.objects.get(booking__order=order)
    booking = Booking.objects.get(order=order)
    intruder = add_staff(SellerFactory(kind="TOUR_OPERATOR"))
    product = global_id("Product", tour.product.pk)
    slot_id = global_id("Slot", slot.pk)
    mutations = [
        ("experienceUpdate", UPDATE, {"p": product, "input": {"capacity": 1}}),
        ("slotCreate", SLOT_CREATE, {"p": product, "at": "2027-01-05T08:00:00+07:00"}),
        ("slotUpdate", SLOT_UPDATE, {"id": slot_id, "cap": 1}),
        ("slotCancel", SLOT_CANCEL, {"id": slot_id}),
        ("experienceBlackoutAdd", BLACKOUT, {"p": product, "d": "2027-01-05"}),
        ("experienceScheduleCreate", SCHEDULE, {"p": product}),
        ("bookingNoShow", NO_SHOW, {"id": global_id("Booking", booking.pk)}),
        ("ticketCheckIn", CHECK_IN, {"code": ticket.code, "other": True}),
    ]
    for name, query, variables in mutations:
        assert gql(query, variables, user=intruder).error_codes(name) == ["PERMISSION_DENIED"], name
        assert gql(query, variables).error_codes(name) == ["AUTHENTICATION_REQUIRED"], name
    for query, variables in (
        (BOOKINGS, {"slot": slot_id}),
        (SLOTS, {"p": product, "from": "2026-12-01", "to": "2026-12-31"}),
    ):
        denied = gql(query, variables, user=intruder)
        assert denied.errors[0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert gql(TICKET, {"code": ticket.code}, user=intruder).data["ticket"] is None
    assert gql(TICKET, {"code": ticket.code}).data["ticket"] is None
    assert gql(TICKET, {"code": ticket.code}, user=tour.staff).data["ticket"]["participantType"] == "adult"
    slot.refresh_from_db()
    ticket.refresh_from_db()
    assert slot.status == SlotStatus.OPEN and slot.capacity == 12 and ticket.checked_in_at is None
    assert Slot.objects.filter(product=tour.product).count() == 1


def test_participant_list_check_in_wrong_day_and_no_show(regions, gql: GQL, client, monkeypatch, settings) -> None:
    tour = make_tour()
    slot = tour.slot(days=4)
    first = book_and_pay(client, monkeypatch, settings, slot=slot, adults=2, children=1)
    second = book_and_pay(client, monkeypatch, settings, slot=slot, adults=1)
    listed = gql(BOOKINGS, {"slot": global_id("Slot", slot.pk)}, user=tour.staff).data["slotBookings"]
    assert [b["quantity"] for b in listed] == [3, 1]
    assert listed[0]["contactName"] == "Trần Thị Bích" and listed[0]["contactPhone"] == "+84912345678"
    assert {p["participantType"]: p["quantity"] for p in listed[0]["participants"]} == {"adult": 2, "child": 1}
    code = Ticket.objects.filter(booking__order=first).first().code
    # Four days early: a warning, and nothing changes until the operator confirms.
    early = gql(CHECK_IN, {"code": code}, user=tour.staff, lang="en").payload("ticketCheckIn")
    assert [e["code"] for e in early["errors"]] == ["WRONG_DAY"] and "not today" in early["errors"][0]["message"]
    assert early["ticket"]["code"] == code and early["ticket"]["checkedInAt"] is None
    confirmed = gql(CHECK_IN, {"code": code, "other": True}, user=tour.staff).payload("ticketCheckIn")
    assert confirmed["errors"] == [] and confirmed["ticket"]["checkedInAt"]
    unknown = gql(CHECK_IN, {"code": "ZZZZ-ZZZZ-ZZZZ"}, user=tour.staff).payload("ticketCheckIn")
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    # No-show only after the start, and not for a booking someone checked in for.
    second_booking = global_id("Booking", Booking.objects.get(order=second).pk)
    assert gql(NO_SHOW, {"id": second_booking}, user=tour.staff).error_codes("bookingNoShow") == ["INVALID_TRANSITION"]
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert (
        gql(NO_SHOW, {"id": second_booking}, user=tour.staff).payload("bookingNoShow")["booking"]["status"] == "NO_SHOW"
    )
    first_booking = global_id("Booking", Booking.objects.get(order=first).pk)
    assert gql(NO_SHOW, {"id": first_booking}, user=tour.staff).error_codes("bookingNoShow") == ["INVALID_TRANSITION"]


def test_slot_cancellation_refunds_everyone_in_full_and_tells_them(
    regions, gql: GQL, client, monkeypatch, settings, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    tour = make_tour()
    slot = tour.slot(days=1)  # inside every refund tier's deadline: the operator refunds all anyway
    orders = [
        book_and_pay(client, monkeypatch, settings, slot=slot, adults=2, children=1, email=f"k{i}@example.vn")
        for i in range(2)
    ]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = gql(SLOT_CANCEL, {"id": global_id("Slot", slot.pk)}, user=tour.staff).payload("slotCancel")
    assert done["errors"] == [] and done["slot"] == {"status": "CANCELLED", "remaining": 0}
    assert sorted(r.amount for r in Refund.objects.all()) == [2 * ADULT + CHILD] * 2
    for order in orders:
        order.refresh_from_db()
        assert order.payment_status == PaymentStatus.REFUNDED and order.status == "CANCELLED"
    assert not Ticket.objects.filter(status="VALID").exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert sorted(m.to[0] for m in mailoutbox if "Mưa lớn" in m.body) == ["k0@example.vn", "k1@example.vn"]
    assert gql(SLOT_CANCEL, {"id": global_id("Slot", slot.pk)}, user=tour.staff).error_codes("slotCancel") == [
        "INVALID_TRANSITION"
    ]


def test_availability_query_count_does_not_grow_with_slots(regions, gql: GQL, client) -> None:
    tour = make_tour()
    today = timezone.localdate()
    services.schedule_create(
        product=tour.product,
        actor=tour.staff,
        weekdays=list(range(7)),
        start_times=["08:00", "13:00"],
        valid_from=today,
    )
    query = """query($p: ID!, $from: Date!, $to: Date!) {
      experienceAvailability(product: $p, dateFrom: $from, dateTo: $to) {
      id startsAt capacity remaining prices { participantType price { amount } } } }"""
    product = global_id("Product", tour.product.pk)

    def run(days: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            result = gql(
                query, {"p": product, "from": str(today + timedelta(days=1)), "to": str(today + timedelta(days=days))}
            )
        return len(result.data["experienceAvailability"]), len(queries)

    few, few_queries = run(2)
    many, many_queries = run(60)
    assert (few, many) == (4, 120)
    assert many_queries == few_queries


def test_a_ticket_is_shown_to_its_buyer(regions, gql: GQL, client, monkeypatch, settings, make_user) -> None:
    tour = make_tour()
    buyer = make_user()
    order = book_and_pay(client, monkeypatch, settings, slot=tour.slot(days=6), adults=1, user=buyer)
    code = Ticket.objects.get(booking__order=order).code
    seen = gql(TICKET, {"code": code}, token=access_token_for(buyer)).data["ticket"]
    assert seen["code"] == code
    assert Booking.objects.get(order=order).status == BookingStatus.CONFIRMED
