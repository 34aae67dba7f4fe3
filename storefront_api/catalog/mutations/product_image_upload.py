"""productImageUpload: add a JPEG, PNG or WebP image (multipart request)."""

from __future__ import annotations

from typing import Any

import graphene

from backend.catalog import services
from backend.catalog.listing import image_row
from storefront_api.catalog.inputs import product_by_id
from storefront_api.catalog.types import ProductImagePayload
from storefront_api.core.auth import require_user
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.scalars import Upload


class ProductImageUpload(BaseMutation):
    """Upload an image (at most 10 MB and 40 megapixels). Metadata such as GPS
    position is removed; thumbnails are made after upload."""

    class Arguments:
        product = graphene.ID(required=True)
        image = Upload(required=True, description="The file, sent per the GraphQL multipart request spec.")
        alt = graphene.String(description="What the image shows, for screen readers.")

    class Meta:
        output = ProductImagePayload

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, **arguments: Any) -> dict[str, Any]:
        user = require_user(info)
        product = product_by_id(arguments["product"], field="product")
        image = services.product_image_upload(
            product=product, actor=user, upload=arguments["image"], alt=arguments.get("alt") or ""
        )
        return {
            "image": image_row(
                name=image.image.name, alt=image.alt or product.name, width=image.width, height=image.height
            )
        }
