"""The storefront schema: one Query and one Mutation composed from each domain."""

import graphene

from storefront_api.accounts.mutations import AccountMutations
from storefront_api.accounts.queries import AccountQueries
from storefront_api.catalog.mutations import CatalogMutations
from storefront_api.catalog.queries import CatalogQueries
from storefront_api.checkout.mutations import CheckoutMutations
from storefront_api.checkout.queries import CheckoutQueries
from storefront_api.experiences.mutations import ExperienceMutations
from storefront_api.experiences.queries import ExperienceQueries
from storefront_api.helpers.mutations import HelperMutations
from storefront_api.helpers.queries import HelperQueries
from storefront_api.legal.queries import LegalQueries
from storefront_api.moderation.mutations import ModerationMutations
from storefront_api.moderation.queries import ModerationQueries
from storefront_api.orders.mutations import OrderMutations
from storefront_api.orders.queries import OrderQueries
from storefront_api.privacy.mutations import PrivacyMutations
from storefront_api.privacy.queries import PrivacyQueries
from storefront_api.regions.queries import RegionQueries
from storefront_api.reports.national import NationalQueries
from storefront_api.reports.queries import ReportQueries
from storefront_api.reviews.mutations import ReviewMutations
from storefront_api.search.queries import SearchQueries
from storefront_api.sellers.mutations import SellerMutations
from storefront_api.sellers.queries import SellerQueries
from storefront_api.tax.mutations import TaxMutations
from storefront_api.tax.queries import TaxQueries


class Query(
    TaxQueries,
    AccountQueries,
    RegionQueries,
    SellerQueries,
    CatalogQueries,
    SearchQueries,
    ModerationQueries,
    CheckoutQueries,
    OrderQueries,
    ExperienceQueries,
    ReportQueries,
    HelperQueries,
    LegalQueries,
    PrivacyQueries,
    NationalQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    TaxMutations,
    AccountMutations,
    SellerMutations,
    CatalogMutations,
    ModerationMutations,
    CheckoutMutations,
    OrderMutations,
    ExperienceMutations,
    HelperMutations,
    ReviewMutations,
    PrivacyMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
