"""The configured search backend, one per process, chosen by `SEARCH_BACKEND` from `ENGINES`.

Adding an engine is a module implementing `search.base.SearchBackend` and one entry here (README,
"How to add a search engine")."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings

from search.base import SearchBackend


def _embedded(location: str) -> SearchBackend:
    # Inside: an engine's client library is loaded only when that engine is configured.
    from search.embedded import EmbeddedBackend

    return EmbeddedBackend(Path(location))


def _elasticsearch(location: str) -> SearchBackend:
    # Inside: an engine's client library is loaded only when that engine is configured.
    from search.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url=location)


# engine name → (factory from its location, where it lives from the settings)
ENGINES: dict[str, tuple[Callable[[str], SearchBackend], Callable[[], str]]] = {
    "embedded": (_embedded, lambda: str(settings.SEARCH_INDEX_DIR)),
    "elasticsearch": (_elasticsearch, lambda: str(settings.ELASTICSEARCH_URL)),
}
DEFAULT_ENGINE = "embedded"


@cache
def _backend(kind: str, location: str) -> SearchBackend:
    factory, _where = ENGINES[kind]
    return factory(location)


def get_backend() -> SearchBackend:
    kind = settings.SEARCH_BACKEND if settings.SEARCH_BACKEND in ENGINES else DEFAULT_ENGINE
    return _backend(kind, ENGINES[kind][1]())


def reset() -> None:
    """Forget cached backends (tests change the settings)."""
    _backend.cache_clear()
