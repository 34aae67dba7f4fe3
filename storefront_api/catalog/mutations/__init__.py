"""Catalog mutations: one module per mutation."""

import graphene

from storefront_api.catalog.certifications import ProductCertificationAdd, ProductCertificationVerify
from storefront_api.catalog.mutations.listing_report_dismiss import ListingReportDismiss
from storefront_api.catalog.mutations.product_create import ProductCreate
from storefront_api.catalog.mutations.product_hide import ProductHide
from storefront_api.catalog.mutations.product_image_upload import ProductImageUpload
from storefront_api.catalog.mutations.product_publish import ProductPublish
from storefront_api.catalog.mutations.product_report import ProductReport
from storefront_api.catalog.mutations.product_unhide import ProductUnhide
from storefront_api.catalog.mutations.product_unpublish import ProductUnpublish
from storefront_api.catalog.mutations.product_update import ProductUpdate
from storefront_api.catalog.mutations.product_variant_create import ProductVariantCreate
from storefront_api.catalog.mutations.product_variant_update import ProductVariantUpdate


class CatalogMutations(graphene.ObjectType):
    product_create = ProductCreate.Field(required=True)
    product_update = ProductUpdate.Field(required=True)
    product_variant_create = ProductVariantCreate.Field(required=True)
    product_variant_update = ProductVariantUpdate.Field(required=True)
    product_image_upload = ProductImageUpload.Field(required=True)
    product_publish = ProductPublish.Field(required=True)
    product_unpublish = ProductUnpublish.Field(required=True)
    product_hide = ProductHide.Field(required=True)
    product_unhide = ProductUnhide.Field(required=True)
    product_report = ProductReport.Field(required=True)
    listing_report_dismiss = ListingReportDismiss.Field(required=True)
    product_certification_add = ProductCertificationAdd.Field(required=True)
    product_certification_verify = ProductCertificationVerify.Field(required=True)
