"""Server-rendered pages: storefront (`/`), seller portal (`/seller/`), province console (`/province/`).

Views parse forms and call the same services and selectors as the GraphQL API; no business rules here.
"""
