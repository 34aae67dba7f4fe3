"""What browsers ask of every site: the web app manifest (installable on a phone's home screen) and
`/favicon.ico`."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME = "#2f6b2f"


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Chợ Phiên — Lâm Đồng's online market"),
        "short_name": "Chợ Phiên",
        "description": _("Farm produce and experiences of Lâm Đồng, straight from cooperatives and households."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("web/icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("web/icons/favicon.ico"))
