"""Distance bands between provinces (carrier fees): same, neighbouring, far."""

from __future__ import annotations

import pytest

from backend.regions.distance import Band, band_between, compute_neighbours, neighbours
from backend.regions.models import Province

pytestmark = pytest.mark.django_db


def _p(slug: str) -> Province:
    return Province.objects.get(slug=slug)


def test_the_committed_neighbours_match_the_coordinates(regions: None) -> None:
    """fixtures/regions/neighbours.json is what `manage.py province_neighbours` computes today."""
    assert {code: sorted(others) for code, others in neighbours().items()} == compute_neighbours()


def test_neighbours_are_symmetric_and_every_province_has_some(regions: None) -> None:
    pairs = neighbours()
    assert len(pairs) == 34
    for code, others in pairs.items():
        assert others, code
        assert all(code in pairs[other] for other in others)


@pytest.mark.parametrize(
    ("origin", "destination", "band"),
    [
        ("bac-ninh", "bac-ninh", Band.SAME),
        ("bac-ninh", "ha-noi", Band.NEIGHBOURING),
        ("bac-ninh", "lang-son", Band.NEIGHBOURING),
        ("bac-ninh", "phu-tho", Band.FAR),  # 20 km apart at the closest, Hà Nội between
        ("ninh-binh", "thanh-hoa", Band.NEIGHBOURING),
        ("ninh-binh", "bac-ninh", Band.FAR),
        ("lam-dong", "dong-nai", Band.NEIGHBOURING),
        ("lam-dong", "ho-chi-minh", Band.NEIGHBOURING),  # Bình Thuận–Bà Rịa-Vũng Tàu
        ("lam-dong", "gia-lai", Band.FAR),
        ("lam-dong", "bac-ninh", Band.FAR),
    ],
)
def test_bands(regions: None, origin: str, destination: str, band: Band) -> None:
    assert band_between(_p(origin), _p(destination)) == band
    assert band_between(_p(destination), _p(origin)) == band
