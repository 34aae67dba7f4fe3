"""Moderation mutations: one module per mutation."""

import graphene


class ModerationMutations(graphene.ObjectType):
    pass
