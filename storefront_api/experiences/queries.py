"""Experience queries: availability for buyers, a ticket by its code, and the operator's slots and
participant lists."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLError

from backend.core.errors import DomainError
from backend.experiences import selectors
from storefront_api.core.auth import current_user, require_seller_staff_query
from storefront_api.experiences.common import load_product, load_slot
from storefront_api.experiences.types import Booking, BookingView, Slot, Ticket, TicketView, booking_views, ticket_views


def _as_graphql_error(exc: DomainError) -> GraphQLError:
    detail = exc.details[0]
    return GraphQLError(str(detail.message), extensions={"code": detail.code, "field": detail.field})


class ExperienceQueries(graphene.ObjectType):
    experience_availability = graphene.List(
        graphene.NonNull(Slot),
        required=True,
        product=graphene.ID(required=True),
        date_from=graphene.Date(required=True),
        date_to=graphene.Date(required=True),
        description="Bookable slots between two local dates (both included), with places left and prices.",
    )
    ticket = graphene.Field(
        Ticket,
        code=graphene.String(required=True),
        description="A ticket by its code: for the experience's operator staff or the buyer.",
    )
    experience_slots = graphene.List(
        graphene.NonNull(Slot),
        required=True,
        product=graphene.ID(required=True),
        date_from=graphene.Date(required=True),
        date_to=graphene.Date(required=True),
        description="Every slot of an experience, cancelled and past ones included (its operator's staff).",
    )
    slot_bookings = graphene.List(
        graphene.NonNull(Booking),
        required=True,
        slot=graphene.ID(required=True),
        description="The bookings of a slot with participants and tickets (its operator's staff).",
    )

    @staticmethod
    def resolve_experience_availability(
        root: Any, info: graphene.ResolveInfo, product: str, date_from: date, date_to: date
    ) -> list[selectors.SlotView]:
        try:
            product_obj = load_product(product)
            return selectors.availability(product_id=product_obj.pk, date_from=date_from, date_to=date_to)
        except DomainError as exc:
            if exc.code == "NOT_FOUND":
                return []
            raise _as_graphql_error(exc) from None

    @staticmethod
    def resolve_ticket(root: Any, info: graphene.ResolveInfo, code: str) -> TicketView | None:
        ticket = selectors.ticket_for_viewer(code=code, user=current_user(info))
        return ticket_views([ticket])[0] if ticket is not None else None

    @staticmethod
    def resolve_experience_slots(
        root: Any, info: graphene.ResolveInfo, product: str, date_from: date, date_to: date
    ) -> list[selectors.SlotView]:
        try:
            product_obj = load_product(product)
        except DomainError as exc:
            raise _as_graphql_error(exc) from None
        require_seller_staff_query(info, product_obj.seller_id)
        try:
            return selectors.operator_slots(product=product_obj, date_from=date_from, date_to=date_to)
        except DomainError as exc:
            raise _as_graphql_error(exc) from None

    @staticmethod
    def resolve_slot_bookings(root: Any, info: graphene.ResolveInfo, slot: str) -> list[BookingView]:
        try:
            slot_obj = load_slot(slot, field="slot")
        except DomainError as exc:
            raise _as_graphql_error(exc) from None
        require_seller_staff_query(info, slot_obj.seller_id)
        return booking_views(list(selectors.slot_bookings(slot=slot_obj).select_related("slot__product")))
