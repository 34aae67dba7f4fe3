"""The storefront schema: one Query and one Mutation composed from each domain."""

import graphene

from storefront_api.accounts.mutations import AccountMutations
from storefront_api.accounts.queries import AccountQueries
from storefront_api.regions.queries import RegionQueries


class Query(AccountQueries, RegionQueries, graphene.ObjectType):
    pass


class Mutation(AccountMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
