"""Builders for experience tests: an operator with a published experience and its slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from backend.accounts.models import User
from backend.catalog.models import Product, ProductKind
from backend.catalog.services import product_publish
from backend.experiences import services
from backend.experiences.models import Experience, Slot
from backend.experiences.services import ExperienceData, ParticipantTypeData
from backend.sellers.models import Seller
from tests.factories import CategoryFactory, ProductFactory, SellerFactory, add_staff

ADULT, CHILD = 450_000, 300_000
# Full refund until 72 h before, half until 24 h before, nothing after.
POLICY = [{"hours_before": 72, "refund_percent": 100}, {"hours_before": 24, "refund_percent": 50}]


@dataclass
class Tour:
    seller: Seller
    staff: User
    product: Product
    experience: Experience

    def slot(self, *, days: float = 10, hour: int = 8, capacity: int | None = None) -> Slot:
        """A single slot `days` from today at `hour`:00 local time."""
        day = timezone.localdate() + timedelta(days=int(days))
        starts = timezone.make_aware(datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())
        return services.slot_create(product=self.product, actor=self.staff, starts_at=starts, capacity=capacity)


def make_tour(*, capacity: int = 12, name: str = "Vượt thác Datanla", seller: Seller | None = None) -> Tour:
    seller = seller or SellerFactory(kind="TOUR_OPERATOR")
    staff = add_staff(seller)
    category = CategoryFactory(name="Phiêu lưu", slug="phieu-luu", kind=ProductKind.EXPERIENCE)
    product = ProductFactory(
        seller=seller, kind=ProductKind.EXPERIENCE, name=name, category=category, is_published=False
    )
    experience = services.experience_update(
        product=product,
        actor=staff,
        data=ExperienceData(
            duration_minutes=240,
            meeting_point="Cổng thác Datanla, Quốc lộ 20",
            languages=["vi", "en"],
            included="Hướng dẫn viên, đồ bảo hộ, nước uống",
            min_age=8,
            capacity=capacity,
            cancellation_policy=POLICY,
            participant_types=[
                ParticipantTypeData(code="adult", name="Người lớn", price=ADULT),
                ParticipantTypeData(code="child", name="Trẻ em", price=CHILD),
            ],
        ),
    )
    product_publish(product=product, actor=staff)
    return Tour(seller=seller, staff=staff, product=product, experience=experience)
