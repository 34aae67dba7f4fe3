"""The configured search backend, one per process."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from search.base import SearchBackend


@cache
def _backend(kind: str, location: str) -> SearchBackend:
    if kind == "elasticsearch":
        from search.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(url=location)
    from pathlib import Path

    from search.embedded import EmbeddedBackend

    return EmbeddedBackend(Path(location))


def get_backend() -> SearchBackend:
    if settings.SEARCH_BACKEND == "elasticsearch":
        return _backend("elasticsearch", settings.ELASTICSEARCH_URL)
    return _backend("embedded", str(settings.SEARCH_INDEX_DIR))


def reset() -> None:
    """Forget cached backends (tests change the settings)."""
    _backend.cache_clear()
