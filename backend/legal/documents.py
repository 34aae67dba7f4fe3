"""The documents the platform publishes (Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP;
Decree 13/2023/NĐ-CP; Law 91/2025/QH15; E-commerce Law 122/2025/QH15) and their versions.

Each text lives in two templates, `legal/vi/<slug>.html` and `legal/en/<slug>.html`. Changing a text
means bumping its version here: the acceptances recorded before keep the version that was read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LegalDocument:
    slug: str
    title: str | Promise
    version: str  # the date it took effect, ISO


OPERATOR = LegalDocument("operator", _("Operator details"), "2026-07-01")
REGISTRATION = LegalDocument("registration", _("Registration with the Ministry of Industry and Trade"), "2026-07-01")
OPERATING_RULES = LegalDocument("operating-rules", _("Operating rules"), "2026-07-01")
RETURN_POLICY = LegalDocument("returns", _("Inspection and return policy"), "2026-07-01")
PRIVACY_NOTICE = LegalDocument("privacy", _("Privacy notice"), "2026-07-01")
RANKING = LegalDocument("ranking", _("How listings are ranked"), "2026-07-01")

DOCUMENTS: tuple[LegalDocument, ...] = (OPERATOR, REGISTRATION, OPERATING_RULES, RETURN_POLICY, PRIVACY_NOTICE, RANKING)
BY_SLUG = {document.slug: document for document in DOCUMENTS}

# What each kind of person accepts, and where.
BUYER_TERMS = (OPERATING_RULES, RETURN_POLICY, PRIVACY_NOTICE)
SELLER_TERMS = (OPERATING_RULES, RETURN_POLICY, PRIVACY_NOTICE, RANKING)
