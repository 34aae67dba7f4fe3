"""The public GraphQL API (contract: ../shared/contract/storefront.graphql)."""
