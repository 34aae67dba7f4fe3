"""GraphQL documents shared by the catalog tests."""

CARD = """
fragment Card on Product {
  id slug name kind ocopStars isPublished isHidden
  thumbnail(size: 256) { url width height }
  pricing { priceMin { amount currency } priceMax { amount currency } }
  category { id name slug }
  seller { id name slug commune { name } soldCount rating { count average score } }
  commune { name }
  variants { id sku name price { amount } quantityAvailable }
  soldCount rating { count average score stars { stars count } }
}
"""

PRODUCTS = (
    CARD
    + """
query Products($first: Int, $after: String, $filter: ProductFilter, $sortBy: ProductSortInput) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...Card } }
  }
}
"""
)

PRODUCT = (
    CARD
    + """
query Product($id: ID, $slug: String, $size: Int) {
  product(id: $id, slug: $slug) {
    ...Card
    description
    images { url alt width height }
    sized: thumbnail(size: $size) { url width height }
  }
}
"""
)

PRODUCT_CREATE = """
mutation Create($seller: ID!, $input: ProductCreateInput!) {
  productCreate(seller: $seller, input: $input) {
    product { id slug name kind isPublished ocopStars category { slug } commune { name } }
    errors { field code message }
  }
}
"""

PRODUCT_UPDATE = """
mutation Update($id: ID!, $input: ProductCreateInput!) {
  productUpdate(id: $id, input: $input) {
    product { id slug name ocopStars }
    errors { field code message }
  }
}
"""

VARIANT_CREATE = """
mutation VariantCreate($product: ID!, $input: ProductVariantInput!) {
  productVariantCreate(product: $product, input: $input) {
    variant { id sku name price { amount currency } quantityAvailable weightGrams }
    errors { field code message }
  }
}
"""

VARIANT_UPDATE = """
mutation VariantUpdate($id: ID!, $input: ProductVariantInput!) {
  productVariantUpdate(id: $id, input: $input) {
    variant { id sku price { amount } quantityAvailable }
    errors { field code message }
  }
}
"""

PUBLISH = """
mutation Publish($id: ID!) {
  productPublish(id: $id) { product { id isPublished } errors { field code message } }
}
"""

UNPUBLISH = """
mutation Unpublish($id: ID!) {
  productUnpublish(id: $id) { product { id isPublished } errors { field code message } }
}
"""

HIDE = """
mutation Hide($id: ID!, $reason: String!) {
  productHide(id: $id, reason: $reason) { product { id isHidden } errors { field code message } }
}
"""

CATEGORIES = """
query Categories($first: Int, $after: String) {
  categories(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name nameEn slug kind parent { slug name parent { slug } } } }
  }
}
"""
