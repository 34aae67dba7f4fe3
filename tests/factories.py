"""factory_boy factories shared by the tests. Sellers need the real regions:
use the `regions` fixture (or `db` + load_regions()) before building them."""

from __future__ import annotations

from typing import Any

import factory
from django.utils.text import slugify

from backend.accounts.models import User
from backend.catalog.models import Category, Product, ProductKind, ProductVariant
from backend.regions.models import Commune
from backend.sellers.models import MembershipRole, Seller, SellerKind, SellerMembership, SellerStatus

DEFAULT_PASSWORD = "Mật-khẩu-dài-2025"
DA_LAT_LAM_VIEN = "24778"  # Phường Lâm Viên - Đà Lạt


def commune(code: str = DA_LAT_LAM_VIEN) -> Commune:
    return Commune.objects.select_related("province").get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    kind = SellerKind.COOPERATIVE
    name = factory.Sequence(lambda n: f"HTX Nông nghiệp số {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name) or "seller")
    commune = factory.LazyFunction(commune)
    phone = "+84903123456"
    status = SellerStatus.APPROVED


def add_staff(seller: Seller, user: User | None = None, role: str = MembershipRole.OWNER) -> User:
    user = user or UserFactory()
    SellerMembership.objects.create(seller=seller, user=user, role=role)
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Danh mục {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    path = factory.LazyAttribute(lambda o: o.slug)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    kind = ProductKind.GOODS
    name = factory.Sequence(lambda n: f"Dâu tây Đà Lạt loại {n}")
    slug = factory.Sequence(lambda n: f"dau-tay-da-lat-{n}")
    description = "Dâu tây trồng nhà kính ở Đà Lạt."
    category = factory.SubFactory(CategoryFactory)
    seller = factory.SubFactory(SellerFactory)
    commune = factory.LazyAttribute(lambda o: o.seller.commune)
    is_published = True


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    seller = factory.LazyAttribute(lambda o: o.product.seller)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = "Hộp 500 g"
    price = 120_000
    stock = 10
    weight_grams = 500
    unit = "hộp"
