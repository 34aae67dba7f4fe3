"""Helpers shared by the web views: sign-in checks, domain errors on forms, product cards, paging."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from backend.catalog.listing import Row
from backend.core.errors import DomainError
from backend.core.redirects import is_allowed_url

ViewFunc = Callable[..., HttpResponseBase]


def signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_active)


def login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send an anonymous visitor to the sign-in page, coming back here afterwards."""
    return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")


def login_required(view: ViewFunc) -> ViewFunc:
    """Like Django's, but to the web sign-in page (no LOGIN_URL setting needed)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not signed_in(request):
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it is allowed (`backend.core.redirects`), else `default`."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    return target if target and is_allowed_url(target) else default


def add_domain_errors(form: forms.Form | None, exc: DomainError, fields: Mapping[str, str] | None = None) -> list[str]:
    """Put each detail of a domain error next to its form field.

    `fields` maps the domain's field names ("address.fullName") to form fields ("full_name");
    a detail without a known field is returned (and added as a non-field error when there is a form).
    """
    fields = fields or {}
    general: list[str] = []
    for detail in exc.details:
        name = fields.get(detail.field or "", None)
        if name is None and form is not None and detail.field in form.fields:
            name = detail.field
        message = str(detail.message)
        if form is not None and name is not None and name in form.fields:
            form.add_error(name, message)
        else:
            general.append(message)
            if form is not None:
                form.add_error(None, message)
    return general


def flash_domain_error(request: HttpRequest, exc: DomainError) -> None:
    for detail in exc.details:
        messages.error(request, str(detail.message))


@dataclass
class PageWindow:
    """One page of a listing: `number` from 1, with links to the neighbours."""

    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        return 1


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string without `names` (for facet and page links)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


THUMB_SIZES = (256, 512)


@dataclass
class Card:
    """What a product card shows: the listing row and its WebP thumbnails."""

    row: Row
    src: str
    srcset: str
    alt: str

    @property
    def name(self) -> str:
        return str(self.row["name"])


def cards(rows: Iterable[Row]) -> list[Card]:
    """Cards for listing rows: one query per thumbnail size for the whole page."""
    made = []
    for row in rows:
        page = row["page"]
        thumbs = [(size, page.thumbnail(row["pk"], size)) for size in THUMB_SIZES]
        found = [(size, thumb) for size, thumb in thumbs if thumb is not None]
        src = found[0][1]["url"] if found else ""
        distinct = len({thumb["url"] for _size, thumb in found}) > 1
        srcset = ", ".join(f"{thumb['url']} {size}w" for size, thumb in found) if distinct else ""
        alt = (found[0][1]["alt"] if found else None) or str(row["name"])
        made.append(Card(row=row, src=src, srcset=srcset, alt=alt))
    return made
