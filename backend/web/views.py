"""Server-rendered pages over the same selectors the API uses."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backend.regions.selectors import province_summaries


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"provinces": province_summaries()})
