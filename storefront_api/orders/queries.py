"""Order queries: `orderByToken`, `sellerOrders` (a seller's queue), `sellerBalance`; `User.orders`."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from graphql import GraphQLError

from backend.accounts.permissions import Act, may
from backend.core.errors import ValidationFailed
from backend.orders import ledger
from backend.orders.models import Order as OrderModel
from backend.orders.models import SellerOrder as SellerOrderModel
from backend.orders.models import SellerOrderStatus
from backend.orders.selectors import orders_by_token
from backend.sellers.models import Seller as SellerModel
from backend.sellers.permissions import seller_place
from storefront_api.core.auth import current_user, require_seller_staff_query
from storefront_api.core.connection import Page, connection_field, paginate
from storefront_api.core.ids import decode_id
from storefront_api.orders.types import ORDER_PREFETCH, Order, SellerBalance, SellerOrder


def orders_with_details(orders: QuerySet[OrderModel]) -> QuerySet[OrderModel]:
    """Orders with what the Order type reads: a fixed number of queries per page."""
    return orders.select_related("commune__province").prefetch_related(*ORDER_PREFETCH)


def user_orders(user: Any, *, first: int | None, after: str | None) -> Page:
    """A buyer's orders, newest first."""
    orders = OrderModel.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    return paginate(orders_with_details(orders), first=first, after=after, count=orders.count)


def _seller_pk(value: str) -> int:
    try:
        return decode_id(value, type_name="Seller", field="seller")
    except ValidationFailed as exc:
        raise GraphQLError(str(exc.details[0].message), extensions={"code": "INVALID", "field": "seller"}) from None


class OrderQueries(graphene.ObjectType):
    order_by_token = graphene.Field(
        Order,
        token=graphene.String(required=True),
        description="An order by its token (from checkoutComplete or the confirmation e-mail).",
    )
    seller_orders = connection_field(
        SellerOrder,
        seller=graphene.ID(required=True),
        status=graphene.String(description="UNCONFIRMED | CONFIRMED | FULFILLED | CANCELLED"),
        description="A seller's orders, newest first. Staff of that seller only.",
    )
    seller_balance = graphene.Field(
        SellerBalance,
        seller=graphene.ID(required=True),
        description="A seller's ledger balance; null unless you are staff of that seller.",
    )

    @staticmethod
    def resolve_order_by_token(root: Any, info: graphene.ResolveInfo, token: str) -> OrderModel | None:
        return orders_with_details(orders_by_token(token)).first()

    @staticmethod
    def resolve_seller_orders(
        root: Any,
        info: graphene.ResolveInfo,
        seller: str,
        status: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page:
        seller_id = _seller_pk(seller)
        require_seller_staff_query(info, seller_id)
        queue = SellerOrderModel.objects.filter(seller_id=seller_id)
        if status:
            wanted = status.strip().upper()
            if wanted not in SellerOrderStatus.values:
                raise GraphQLError(str(_("Unknown order status.")), extensions={"code": "INVALID", "field": "status"})
            queue = queue.filter(status=wanted)
        queue = queue.order_by("-created_at", "-id")
        rows = queue.select_related("order__commune__province", "seller__commune__province").prefetch_related("lines")
        return paginate(rows, first=first, after=after, count=queue.count)

    @staticmethod
    def resolve_seller_balance(root: Any, info: graphene.ResolveInfo, seller: str) -> dict[str, int] | None:
        seller_id = _seller_pk(seller)
        target = SellerModel.objects.select_related("commune").filter(pk=seller_id).first()
        if target is None or not may(current_user(info), Act.SELLER_BALANCE_VIEW, seller_place(target)):
            return None
        return {
            "balance": ledger.balance(seller=target),
            "payout_available": ledger.available_for_payout(seller=target),
        }
