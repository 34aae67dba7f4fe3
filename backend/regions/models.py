"""Vietnam's administrative units after the 1 July 2025 reform.

Two tiers only: Province → Commune (xã, phường, đặc khu). `LegacyUnit` keeps
the pre-reform (ward, district, province) rows that map onto new communes, so
old addresses stay usable.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20)  # "tinh" | "thanh_pho"
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class CommuneKind(models.TextChoices):
    XA = "xa", _("Commune (xã)")
    PHUONG = "phuong", _("Ward (phường)")
    DAC_KHU = "dac_khu", _("Special zone (đặc khu)")


class Commune(models.Model):
    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=CommuneKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    # Approximate centre (WGS 84) for maps of the province, from vietnamadminunits.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [models.UniqueConstraint(fields=["province", "slug"], name="commune_slug_unique_in_province")]

    def __str__(self) -> str:
        return self.name


class LegacyUnit(models.Model):
    """One row of the legacy map: a former unit (or part of one) → new commune."""

    class Transfer(models.TextChoices):
        WHOLE = "whole", _("whole")
        PART = "part", _("part")

    old_code = models.CharField(max_length=5, db_index=True)
    old_name = models.CharField(max_length=150)
    # Another spelling seen on documents: the resolution's spelling or the name
    # the unit had in the 2024 code list before a rename ("Hưng Long", "Pró").
    old_name_alias = models.CharField(max_length=150, blank=True)
    old_kind = models.CharField(max_length=20)  # xã | phường | thị trấn
    old_district = models.CharField(max_length=150)
    old_district_code = models.CharField(max_length=3)
    old_district_before_2024 = models.CharField(max_length=150, blank=True)
    old_province = models.CharField(max_length=150)
    old_province_code = models.CharField(max_length=2)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="legacy_units")
    transfer = models.CharField(max_length=5, choices=Transfer.choices)
    in_resolution = models.BooleanField(default=True)
    # Compact folded keys for matching (see services.legacy_key): no diacritics,
    # no unit-type word ("xa", "huyen", …), no spaces or apostrophes.
    ward_key = models.CharField(max_length=150, db_index=True, editable=False)
    ward_alias_key = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    district_key = models.CharField(max_length=150, db_index=True, editable=False)
    district_before_2024_key = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    province_key = models.CharField(max_length=150, db_index=True, editable=False)

    class Meta:
        ordering = ["old_province_code", "old_district", "old_name"]
        verbose_name = _("legacy unit")
        verbose_name_plural = _("legacy units")
        constraints = [models.UniqueConstraint(fields=["old_code", "commune"], name="legacy_unit_once_per_commune")]

    def __str__(self) -> str:
        return f"{self.old_name}, {self.old_district}, {self.old_province} → {self.commune.name}"
