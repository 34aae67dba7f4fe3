"""The project's URLs plus uploaded media, served like the development server does (the browser
tests run with DEBUG off, where `backend/urls.py` leaves media to the web server)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.static import serve

from backend.urls import urlpatterns as project


def media(request: HttpRequest, path: str) -> HttpResponse:
    response: Any = serve(request, path, document_root=str(settings.MEDIA_ROOT))  # read per test
    return response


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *project]
