"""Account queries: `me`."""

from __future__ import annotations

from typing import Any

import graphene

from storefront_api.accounts.types import User
from storefront_api.core.auth import current_user


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="The signed-in user; null when anonymous.")

    @staticmethod
    def resolve_me(root: Any, info: graphene.ResolveInfo) -> Any:
        return current_user(info)
