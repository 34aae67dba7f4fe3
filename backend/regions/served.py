"""Which provinces this deployment serves: the one place that knows (issue 16, part 4).

`SERVED_PROVINCES` (slugs, the first is the default unless `DEFAULT_PROVINCE`
says otherwise) comes from the environment; the look of each province's
storefront (title, tagline, colours) from `fixtures/regions/storefronts.json`.
Code asks here instead of writing a province slug.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language

from backend.regions.models import Commune, Province

STOREFRONTS_FILE = Path(settings.BASE_DIR) / "fixtures" / "regions" / "storefronts.json"


@dataclass(frozen=True)
class ProvinceSite:
    """A served province's storefront: `/<slug>/`, its title ("Chợ Bắc Ninh") and colours."""

    slug: str
    name: str
    title: str
    tagline: str
    primary: str
    accent: str
    is_default: bool


def served_province_slugs() -> list[str]:
    """The served provinces' slugs, the default first."""
    default = default_province_slug()
    return [default, *(slug for slug in settings.SERVED_PROVINCES if slug != default)]


def default_province_slug() -> str:
    return str(settings.DEFAULT_PROVINCE)


def is_served(slug: str) -> bool:
    return slug in settings.SERVED_PROVINCES


def serves_many() -> bool:
    return len(settings.SERVED_PROVINCES) > 1


def served_provinces() -> list[Province]:
    """The served provinces (one query), the default first; unknown slugs are left out."""
    found = {province.slug: province for province in Province.objects.filter(slug__in=settings.SERVED_PROVINCES)}
    return [found[slug] for slug in served_province_slugs() if slug in found]


def default_province() -> Province | None:
    return Province.objects.filter(slug=default_province_slug()).first()


@cache
def _storefronts() -> dict[str, dict[str, Any]]:
    data = json.loads(STOREFRONTS_FILE.read_text(encoding="utf-8"))
    default = data["meta"]["default"]
    return {"": default, **data["storefronts"]}


def storefront_config(slug: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A province's entry in the storefronts file (empty when it has none) and the file's defaults."""
    return _storefronts().get(slug, {}), _storefronts()[""]


def province_site(province: Province) -> ProvinceSite:
    """The storefront look of `province` (served or not: the national overview links them all)."""
    config = _storefronts().get(province.slug, {})
    default = _storefronts()[""]
    english = (get_language() or "vi").startswith("en")
    tagline = config.get("tagline_en" if english else "tagline", "")
    return ProvinceSite(
        slug=province.slug,
        name=province.short_name,
        title=config.get("title") or f"Chợ {province.short_name}",
        tagline=tagline,
        primary=config.get("primary", default["primary"]),
        accent=config.get("accent", default["accent"]),
        is_default=province.slug == default_province_slug(),
    )


def served_sites() -> list[ProvinceSite]:
    return [province_site(province) for province in served_provinces()]


def served_communes() -> QuerySet[Commune]:
    """The communes of the served provinces (a seller's commune picker), province joined in."""
    return (
        Commune.objects.select_related("province")
        .filter(province__slug__in=settings.SERVED_PROVINCES)
        .order_by("province__code", "name", "code")
    )


def commune_label(commune: Commune) -> str:
    """A commune's name, with its province when the deployment serves several."""
    return f"{commune.name} ({commune.province.short_name})" if serves_many() else commune.name
