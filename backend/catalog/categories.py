"""The category tree every installation starts with, seeded idempotently.

Slugs are stable identifiers (URLs, filters, search facets): rename a
category's display names here freely, never its slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from backend.catalog.models import Category, ProductKind


@dataclass(frozen=True)
class Seed:
    slug: str
    name: str
    name_en: str
    kind: str = ProductKind.GOODS
    children: tuple[Seed, ...] = field(default=())


CATEGORY_TREE: tuple[Seed, ...] = (
    Seed(
        "trai-cay",
        "Trái cây",
        "Fruit",
        children=(
            Seed("dau-tay", "Dâu tây", "Strawberries"),
            Seed("sau-rieng", "Sầu riêng", "Durian"),
            Seed("thanh-long", "Thanh long", "Dragon fruit"),
            Seed("bo", "Bơ", "Avocado"),
            Seed("hong", "Hồng", "Persimmon"),
        ),
    ),
    Seed("rau-cu", "Rau củ", "Vegetables"),
    Seed("ca-phe", "Cà phê", "Coffee"),
    Seed("tra", "Trà", "Tea"),
    Seed("hoa", "Hoa", "Flowers"),
    Seed("dac-san-kho-che-bien", "Đặc sản khô & chế biến", "Dried & processed food"),
    Seed("hai-san-nuoc-mam", "Hải sản & nước mắm", "Seafood & fish sauce"),
    Seed("thu-cong-my-nghe", "Thủ công mỹ nghệ", "Handicrafts"),
    Seed("mat-ong-hat", "Mật ong & hạt", "Honey & nuts"),
    Seed(
        "trai-nghiem",
        "Trải nghiệm",
        "Experiences",
        kind=ProductKind.EXPERIENCE,
        children=(
            Seed("tour", "Tour", "Tours", kind=ProductKind.EXPERIENCE),
            Seed("homestay", "Homestay", "Homestays", kind=ProductKind.EXPERIENCE),
            Seed("workshop", "Workshop", "Workshops", kind=ProductKind.EXPERIENCE),
            Seed("phieu-luu", "Phiêu lưu", "Adventure", kind=ProductKind.EXPERIENCE),
        ),
    ),
)


def _seed(seeds: tuple[Seed, ...], parent: Category | None, counts: dict[str, int]) -> None:
    for position, seed in enumerate(seeds):
        path = f"{parent.path}/{seed.slug}" if parent else seed.slug
        category, created = Category.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "name_en": seed.name_en,
                "kind": seed.kind,
                "parent": parent,
                "path": path,
                "position": position,
            },
        )
        counts["created" if created else "updated"] += 1
        _seed(seed.children, category, counts)


@transaction.atomic
def seed_categories() -> dict[str, int]:
    """Create or refresh the standard tree; categories added by admins are left alone."""
    counts = {"created": 0, "updated": 0}
    _seed(CATEGORY_TREE, None, counts)
    return counts
