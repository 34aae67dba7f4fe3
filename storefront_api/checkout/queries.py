"""Checkout queries: `checkout(id)`."""

from __future__ import annotations

from typing import Any

import graphene

from storefront_api.checkout.common import CheckoutView, find_checkout
from storefront_api.checkout.types import Checkout


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        id=graphene.ID(required=True, description="Checkout.id (or its token)."),
        description="A cart by its ID; null when it does not exist or is not yours.",
    )

    @staticmethod
    def resolve_checkout(root: Any, info: graphene.ResolveInfo, id: str) -> CheckoutView | None:
        checkout = find_checkout(info, id)
        return CheckoutView.of(checkout) if checkout is not None else None
