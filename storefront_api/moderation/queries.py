"""Moderation queries."""

import graphene

from storefront_api.moderation.audit import AuditQueries


class ModerationQueries(AuditQueries, graphene.ObjectType):
    pass
