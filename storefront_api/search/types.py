"""GraphQL types of search: results with scores and facets, suggestions."""

from __future__ import annotations

import graphene
from graphene import relay

from storefront_api.catalog.types import Product


class FacetValue(graphene.ObjectType):
    value = graphene.String(required=True, description="What to filter by (an id, a kind or a star count).")
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class Facet(graphene.ObjectType):
    name = graphene.String(required=True, description='"category", "commune", "kind" or "ocop_stars".')
    values = graphene.List(graphene.NonNull(FacetValue), required=True)


class SearchEdge(graphene.ObjectType):
    node = graphene.Field(graphene.NonNull(Product))
    score = graphene.Float()
    cursor = graphene.String(required=True)


class SearchResult(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    edges = graphene.List(graphene.NonNull(SearchEdge), required=True)
    facets = graphene.List(graphene.NonNull(Facet), required=True)
    page_info = graphene.Field(graphene.NonNull(relay.PageInfo))
    degraded = graphene.Boolean(
        required=True,
        description="True when the search engine was unavailable and results come from plain database filtering.",
    )


class SearchSuggestion(graphene.ObjectType):
    text = graphene.String(required=True)
    product = graphene.Field(Product, description="The suggested product; null for a category suggestion.")
