"""Moderation mutations: one module per mutation."""

import graphene

from storefront_api.moderation.mutations.takedown_record import TakedownRecord


class ModerationMutations(graphene.ObjectType):
    takedown_record = TakedownRecord.Field(required=True)
