"""Template context shared by every page: the legal footer and the pilot banner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from backend.sellers.identity import identity_required


def compliance(request: HttpRequest) -> dict[str, Any]:
    return {"identity_rule_lifted": not identity_required()}
