"""Experience availability and booking, in process through /graphql/ (Django test client).

An operator with 4 daily starts has ~360 slots over the 90-day horizon; availability must cost the
same few queries for 7 days (28 slots) as for 60 days (240 slots).
"""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import User
from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, ProductKind
from backend.catalog.services import ProductData, product_create, product_publish
from backend.experiences import services
from backend.regions.loader import load_regions
from backend.regions.models import Commune
from backend.sellers.models import MembershipRole, Seller, SellerKind, SellerMembership, SellerStatus
from bench.timing import measure, report
from storefront_api.core.ids import global_id

AVAILABILITY = """query($p: ID!, $from: Date!, $to: Date!) {
  experienceAvailability(product: $p, dateFrom: $from, dateTo: $to) {
    id startsAt capacity remaining prices { participantType price { amount } } } }"""
CREATE = "mutation { checkoutCreate(lines: []) { checkout { id } } }"
BOOK = """mutation($id: ID!, $slot: ID!) { checkoutBookingAdd(id: $id, slot: $slot,
  participants: [{participantType: "adult", quantity: 2}, {participantType: "child", quantity: 1}]) {
  checkout { total { amount } } errors { code } } }"""


def _operator() -> tuple[int, list[int]]:
    load_regions()
    seed_categories()
    tag = uuid.uuid4().hex[:8]
    owner = User.objects.create_user(email=f"bench-{tag}@example.vn", password=uuid.uuid4().hex)
    seller = Seller.objects.create(
        slug=f"bench-tours-{tag}",
        name=f"Bench Tours {tag}",
        kind=SellerKind.TOUR_OPERATOR,
        commune=Commune.objects.get(code="24781"),
        phone="+84912345678",
        status=SellerStatus.APPROVED,
    )
    SellerMembership.objects.create(seller=seller, user=owner, role=MembershipRole.OWNER)
    product = product_create(
        seller=seller,
        actor=owner,
        data=ProductData(
            name=f"Vượt thác bench {tag}",
            description="Bench",
            category=Category.objects.get(slug="phieu-luu"),
            kind=ProductKind.EXPERIENCE,
            commune=seller.commune,
        ),
    )
    services.experience_update(
        product=product,
        actor=owner,
        data=services.ExperienceData(
            capacity=10_000,
            participant_types=[
                services.ParticipantTypeData("adult", "Người lớn", 450_000),
                services.ParticipantTypeData("child", "Trẻ em", 300_000),
            ],
        ),
    )
    services.schedule_create(
        product=product,
        actor=owner,
        weekdays=list(range(7)),
        start_times=["07:00", "09:30", "13:00", "15:30"],
        valid_from=timezone.localdate(),
    )
    product_publish(product=product, actor=owner)
    slots = list(product.slots.order_by("starts_at").values_list("pk", flat=True))
    return product.pk, slots


def run() -> None:
    product_id, slot_ids = _operator()
    client = Client()
    product = global_id("Product", product_id)
    today = timezone.localdate()

    def post(query: str, variables: dict[str, object]) -> dict:
        response = client.post("/graphql/", json.dumps({"query": query, "variables": variables}), "application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    def availability(days: int) -> None:
        to = today + timedelta(days=days)
        post(AVAILABILITY, {"p": product, "from": str(today), "to": str(to)})

    print(f"experiences (in-process, Django test client, sequential; {len(slot_ids)} slots materialised)")
    for days in (7, 60):
        with CaptureQueriesContext(connection) as queries:
            availability(days)

        def call(d: int = days) -> None:
            availability(d)

        report(f"experienceAvailability {days} days ({len(queries)} SQL)", measure(call, repeat=200))
    slots = itertools.cycle(slot_ids[8:])

    def book() -> None:
        checkout = post(CREATE, {})["checkoutCreate"]["checkout"]["id"]
        data = post(BOOK, {"id": checkout, "slot": global_id("Slot", next(slots))})
        assert data["checkoutBookingAdd"]["errors"] == []

    report("checkoutCreate + checkoutBookingAdd (3 people)", measure(book, repeat=200))
