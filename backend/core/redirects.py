"""Where buyers may be sent back to: this site (PUBLIC_URL) and the front ends in FRONTEND_URLS.

Payment return URLs and every `next` parameter go through `checked_return_url`, so no link of ours
can bounce a visitor to a phishing page. Only http(s) URLs whose scheme, host and port are those
of an allowed origin pass, or paths of this site ("/orders/…"); user info ("https://a@evil"),
backslashes and control characters are refused outright, since browsers and parsers disagree on them.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed

_DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidRedirect(ValidationFailed):
    default_code = "INVALID"
    default_message = _("This return address is not allowed.")


def _origin(parts: SplitResult) -> tuple[str, str, int] | None:
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:  # a port that is not a number
        return None
    return scheme, parts.hostname.lower(), port


def allowed_origins() -> set[tuple[str, str, int]]:
    origins = {_origin(urlsplit(url)) for url in [settings.PUBLIC_URL, *settings.FRONTEND_URLS]}
    return {origin for origin in origins if origin is not None}


def _suspicious(url: str) -> bool:
    return "\\" in url or any(ord(ch) < 33 or ord(ch) == 127 for ch in url)


def is_allowed_url(url: str) -> bool:
    """An absolute URL of an allowed origin, or a path of this site."""
    if not url or _suspicious(url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return False
    origin = _origin(parts)
    return origin is not None and origin in allowed_origins()


def checked_return_url(url: str | None, *, field: str = "returnUrl") -> str:
    """`url` when allowed ("" when none was given); a path becomes an absolute URL of this site.

    Raises InvalidRedirect (code INVALID) for anything else.
    """
    url = (url or "").strip()
    if not url:
        return ""
    if not is_allowed_url(url):
        raise InvalidRedirect(field=field)
    return settings.PUBLIC_URL + url if url.startswith("/") else url


def checked_next(url: str | None, *, field: str = "next") -> str:
    """A `next` parameter for a redirect inside the site: kept as given (a path stays relative)."""
    url = (url or "").strip()
    if url and not is_allowed_url(url):
        raise InvalidRedirect(field=field)
    return url
