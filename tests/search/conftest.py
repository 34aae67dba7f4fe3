"""Search backend fixtures: the embedded backend always, Elasticsearch when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from search.base import SearchBackend, SearchDocument
from search.embedded import EmbeddedBackend

BASE_TIME = datetime(2024, 6, 1, tzinfo=UTC)


def make_doc(pk: int, name: str, **overrides: Any) -> SearchDocument:
    values: dict[str, Any] = {
        "id": pk,
        "name": name,
        "description": f"Đặc sản {name}, hàng tuyển chọn từ nông trại.",
        "kind": "GOODS",
        "category_id": 1,
        "category_path": "trai-cay",
        "category_name": "Trái cây",
        "commune_id": 10,
        "commune_name": "Phường 1",
        "seller_id": 100,
        "seller_name": "Hợp tác xã Xanh",
        "price_min": 100_000,
        "price_max": 100_000,
        "ocop_stars": None,
        "in_stock": True,
        "created_at": BASE_TIME + timedelta(minutes=pk),
        "fingerprint": f"fp-{pk}",
    }
    values.update(overrides)
    return SearchDocument(**values)


def _elasticsearch(tmp_path: Path) -> Iterator[SearchBackend]:
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set")
    from search.elasticsearch import ElasticsearchBackend  # another module; only needed with a server

    backend = ElasticsearchBackend(url=url)
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "embedded":
        yield EmbeddedBackend(tmp_path / "search-index")
    else:
        yield from _elasticsearch(tmp_path)
