"""Tax mutations: one module per mutation."""

import graphene

from storefront_api.tax.mutations.tax_period_close import TaxPeriodClose


class TaxMutations(graphene.ObjectType):
    tax_period_close = TaxPeriodClose.Field(required=True)
