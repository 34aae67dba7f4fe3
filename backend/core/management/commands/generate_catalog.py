"""Generate a large synthetic catalog for benchmarks (not demo data).

`manage.py generate_catalog --products 10000` adds approved sellers spread
over Lâm Đồng's communes and N products with 3 variants and 2 images each
(the images share a few generated files), in bulk. Idempotent per prefix:
products already generated are kept, only the missing ones are added.
"""

from __future__ import annotations

import io
import random
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from PIL import Image, ImageDraw

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product, ProductImage, ProductVariant
from backend.regions.loader import load_regions
from backend.regions.models import Commune
from backend.regions.served import default_province_slug
from backend.sellers.models import Seller, SellerKind, SellerStatus

PREFIX = "bench"
WORDS = [
    "Dâu tây",
    "Cà phê Arabica",
    "Trà Ô long",
    "Sầu riêng",
    "Thanh long",
    "Bơ sáp",
    "Hồng treo gió",
    "Atisô",
    "Mắc ca",
    "Hạt điều",
    "Mật ong",
    "Hoa cẩm tú cầu",
    "Nước mắm",
    "Khoai lang",
    "Tiêu",
]
PLACES = ["Đà Lạt", "Bảo Lộc", "Di Linh", "Đức Trọng", "Phan Thiết", "Gia Nghĩa", "Lâm Hà", "Tuy Phong"]
BATCH = 1000


def _placeholder(index: int) -> str:
    name = f"{PREFIX}/placeholder-{index}.jpg"
    if not default_storage.exists(name):
        image = Image.new("RGB", (640, 480), ((53 * index) % 256, (97 * index) % 256, 120))
        ImageDraw.Draw(image).text((20, 20), f"Cho Phien {index}", fill=(255, 255, 255))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return name


class Command(BaseCommand):
    help = "Generate N synthetic products (with sellers, variants, images) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=10_000)
        parser.add_argument("--sellers", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        load_regions()
        seed_categories()
        categories = list(Category.objects.filter(kind="GOODS"))
        communes = list(Commune.objects.filter(province__slug=default_province_slug()))
        sellers = self._sellers(options["sellers"], communes, rng)
        existing = Product.objects.filter(slug__startswith=f"{PREFIX}-").count()
        wanted = options["products"]
        images = [_placeholder(i) for i in range(8)]
        for start in range(existing, wanted, BATCH):
            self._batch(start, min(BATCH, wanted - start), sellers, categories, images, rng)
            self.stdout.write(f"  {min(start + BATCH, wanted)} / {wanted} products")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics after bulk inserts, as autovacuum would
        self.stdout.write(f"Catalog has {Product.objects.count()} products.")

    def _sellers(self, count: int, communes: list[Commune], rng: random.Random) -> list[Seller]:
        have = {s.slug: s for s in Seller.objects.filter(slug__startswith=f"{PREFIX}-")}
        new = [
            Seller(
                kind=rng.choice([SellerKind.COOPERATIVE, SellerKind.HOUSEHOLD, SellerKind.ENTERPRISE]),
                name=f"HTX {rng.choice(PLACES)} số {i} (bench)",
                slug=f"{PREFIX}-seller-{i}",
                commune=communes[i % len(communes)],
                phone="+84903123456",
                status=SellerStatus.APPROVED,
            )
            for i in range(count)
            if f"{PREFIX}-seller-{i}" not in have
        ]
        Seller.objects.bulk_create(new, batch_size=BATCH)
        return list(Seller.objects.filter(slug__startswith=f"{PREFIX}-").select_related("commune"))

    @transaction.atomic
    def _batch(
        self,
        start: int,
        size: int,
        sellers: list[Seller],
        categories: list[Category],
        images: list[str],
        rng: random.Random,
    ) -> None:
        products = []
        prices: list[list[int]] = []
        for i in range(start, start + size):
            seller = sellers[i % len(sellers)]
            variant_prices = sorted(rng.randrange(20, 900) * 1000 for _ in range(3))
            prices.append(variant_prices)
            stars = rng.choice([None, None, None, 3, 4, 5])
            products.append(
                Product(
                    name=f"{rng.choice(WORDS)} {rng.choice(PLACES)} #{i}",
                    slug=f"{PREFIX}-{i}",
                    description="Sản phẩm sinh tự động cho đo hiệu năng.",
                    category=rng.choice(categories),
                    seller=seller,
                    commune=seller.commune,
                    ocop_stars=stars,
                    is_published=True,
                    price_min=variant_prices[0],
                    price_max=variant_prices[-1],
                    in_stock=True,
                )
            )
        Product.objects.bulk_create(products, batch_size=BATCH)
        created = Product.objects.filter(slug__in=[p.slug for p in products]).order_by("id")
        by_slug = {p.slug: p for p in created}
        variants, product_images = [], []
        for product, variant_prices in zip(products, prices, strict=True):
            saved = by_slug[product.slug]
            for position, (label, price) in enumerate(zip(("500 g", "1 kg", "2 kg"), variant_prices, strict=True)):
                variants.append(
                    ProductVariant(
                        product=saved,
                        seller_id=saved.seller_id,
                        sku=f"{saved.slug}-{position}",
                        name=f"Hộp {label}",
                        price=price,
                        stock=rng.randrange(0, 200),
                        weight_grams=[500, 1000, 2000][position],
                        unit="hộp",
                        position=position,
                    )
                )
            for position in range(2):
                product_images.append(
                    ProductImage(
                        product=saved,
                        image=images[(saved.pk + position) % len(images)],
                        width=640,
                        height=480,
                        alt=saved.name,
                        position=position,
                    )
                )
        ProductVariant.objects.bulk_create(variants, batch_size=BATCH)
        ProductImage.objects.bulk_create(product_images, batch_size=BATCH)
