"""Read side of regions: province and commune listings."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from backend.core.text import search_key
from backend.regions import sources
from backend.regions.keys import legacy_key
from backend.regions.models import Commune, Province

# Folded type words a province name may start with ("Tỉnh Lâm Đồng", "TP. Hồ Chí Minh").
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp ")


def province_summaries() -> QuerySet[Province]:
    """The 34 provinces with `commune_count`, for a selector of provinces (a deployment's served ones, an overview)."""
    return Province.objects.annotate(commune_count=Count("communes")).order_by("code")


def province_get(value: str) -> Province | None:
    """One province by slug ("bac-ninh"), code ("24"), name in any spelling or short form ("TP HCM", "hcm")."""
    if not value.strip():
        return None
    found = Province.objects.filter(province_filter(value)).first()
    if found is None and (name := sources.province_aliases().get(legacy_key(value))):
        found = Province.objects.filter(province_filter(name)).first()
    return found


def provinces_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def province_filter(value: str, *, prefix: str = "") -> Q:
    """A Q matching a province by slug, 2-digit code, or name in any spelling.

    "lam-dong", "68", "Lâm Đồng", "lam dong", "Tỉnh Lâm Đồng", "TP Hồ Chí Minh",
    "Ho Chi Minh City" all work. Built without a query, so a listing filtered
    by province still costs only its own queries. `prefix` is the lookup path
    to the province ("province__").
    """
    raw = value.strip()
    key = search_key(raw)
    for word in _PROVINCE_PREFIXES:
        if key.startswith(word):
            key = key[len(word) :]
            break
    # search_name is the folded official name, which always carries its type word.
    names = [key, *(f"{word}{key}" for word in _PROVINCE_PREFIXES[:2])]
    return (
        Q(**{f"{prefix}slug": raw.lower()})
        | Q(**{f"{prefix}code": raw.zfill(2) if raw.isdigit() else raw})
        | Q(**{f"{prefix}search_name__in": names})
        | Q(**{f"{prefix}name_en__iexact": raw})
    )


def communes_list(*, province: str | None = None, search: str | None = None) -> QuerySet[Commune]:
    """Communes, optionally of one province and matching a search text.

    `province`: slug, code or name (see `province_filter`); an unknown
    province gives an empty result rather than an error, like any filter
    that matches nothing. `search`: every word must appear in the folded name,
    so "xuan huong", "Xuân Hương" and "XUAN HUONG da lat" all find "Phường
    Xuân Hương - Đà Lạt". The province is joined in, so a page costs two
    queries (count + rows) whatever its size.
    """
    queryset = Commune.objects.select_related("province").order_by("province__code", "name", "code")
    if province is not None and province.strip():
        queryset = queryset.filter(province_filter(province, prefix="province__"))
    for word in search_key(search or "").split():
        # Match at the start of a word: "huong" must not find "Xuân Trường".
        queryset = queryset.filter(Q(search_name__istartswith=word) | Q(search_name__icontains=f" {word}"))
    return queryset


UNKNOWN_PROVINCE = 0  # an id no province has: a listing asked for an unknown province shows nothing


def province_scope(value: str | None) -> int | None:
    """The id of the province a listing's optional `province` argument names (slug, code or name).

    None when no province was asked for (every province); `UNKNOWN_PROVINCE` when it names
    none, so the listing is empty rather than an error, like any filter that matches nothing.
    """
    if value is None or not value.strip():
        return None
    found = province_get(value)
    return found.pk if found is not None else UNKNOWN_PROVINCE
