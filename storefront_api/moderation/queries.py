"""Moderation queries."""

import graphene

from storefront_api.moderation.audit import AuditQueries
from storefront_api.moderation.takedowns import TakedownQueries


class ModerationQueries(AuditQueries, TakedownQueries, graphene.ObjectType):
    pass
