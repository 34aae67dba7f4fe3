"""`manage.py make_thumbnails`: render missing thumbnails (e.g. after a bulk import)."""

from typing import Any

from django.core.management.base import BaseCommand

from backend.catalog.images import THUMBNAIL_SIZES, make_thumbnails
from backend.catalog.models import ProductImage


class Command(BaseCommand):
    help = "Render every missing WebP thumbnail of product images."

    def handle(self, *args: Any, **options: Any) -> None:
        made = 0
        for image_id in ProductImage.objects.order_by("pk").values_list("pk", flat=True).iterator():
            made += len(make_thumbnails(image_id=image_id, sizes=THUMBNAIL_SIZES))
        self.stdout.write(f"{made} thumbnails present.")
