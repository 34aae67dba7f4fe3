"""The embedded index heals itself (issue 17, failures 4 and 5): a deleted, emptied or corrupted
index is answered from the database with `degraded: true` and rebuilt in the background; the sync
never builds a one-product index; one writer at a time; cached answers follow the index."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from search import indexing, registry
from search.embedded import POINTER
from search.indexing import index_state, reconcile, sync_pending
from search.locks import index_writer_lock
from search.models import PendingDocument
from tests.factories import ProductFactory, SellerFactory, VariantFactory

pytestmark = pytest.mark.django_db

SEARCH = """query($q: String!) {
  search(query: $q, first: 10) { totalCount degraded edges { node { name } } }
}"""
NAMES = ["Dâu tây Đà Lạt", "Cà phê Arabica Cầu Đất", "Sầu riêng Đắk Mil"]


@pytest.fixture(autouse=True)
def live_index(settings, tmp_path):
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    yield tmp_path / "search"
    registry.reset()


@pytest.fixture
def catalog(regions, django_capture_on_commit_callbacks):
    seed_categories()
    category = Category.objects.get(slug="dau-tay")
    with django_capture_on_commit_callbacks(execute=True):
        for name in NAMES:
            VariantFactory(product=ProductFactory(name=name, category=category, seller=SellerFactory()))
    assert registry.get_backend().document_count() == len(NAMES)


def _live_dir(root) -> str:
    return os.path.join(root, (root / POINTER).read_text().strip())


def _search(gql, q: str = "", *, on_commit=None) -> dict:
    if on_commit is None:
        answer = gql(SEARCH, {"q": q})
    else:
        with on_commit(execute=True):  # what a request's commit runs: the outbox nudge
            answer = gql(SEARCH, {"q": q})
    assert answer.status == 200 and not answer.errors, answer.json
    return answer.data["search"]


def test_a_deleted_index_answers_from_the_database_and_is_rebuilt(
    gql, catalog, live_index, django_capture_on_commit_callbacks
) -> None:
    shutil.rmtree(live_index)
    registry.reset()  # a new process (or a restart) after the folder went away
    first = _search(gql, "Dâu tây", on_commit=django_capture_on_commit_callbacks)
    assert first["degraded"] is True and "Dâu tây Đà Lạt" in [e["node"]["name"] for e in first["edges"]]
    # The rebuild was queued in the outbox (delivered in-process here, by a worker in production).
    again = _search(gql, "dau tay")
    assert again["degraded"] is False and again["edges"][0]["node"]["name"] == "Dâu tây Đà Lạt"
    assert registry.get_backend().document_count() == len(NAMES)


def test_an_emptied_folder_is_rebuilt_whole_not_from_one_edit(catalog, live_index, django_capture_on_commit_callbacks):
    for child in live_index.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        product = Product.objects.get(name="Sầu riêng Đắk Mil")
        product.description = "Cơm vàng hạt lép, vụ mới."
        product.save()
    assert registry.get_backend().document_count() == len(NAMES)
    assert not PendingDocument.objects.exists()


@pytest.mark.parametrize("damage", ["meta", "segments"])
def test_a_corrupted_index_degrades_instead_of_failing(
    gql, client, catalog, live_index, damage, django_capture_on_commit_callbacks
) -> None:
    for name in os.listdir(_live_dir(live_index)):
        path = os.path.join(_live_dir(live_index), name)
        if os.path.isfile(path) and (name == "meta.json") == (damage == "meta"):
            with open(path, "r+b") as fh:
                fh.write(os.urandom(max(os.path.getsize(path), 64)))
    registry.reset()
    assert index_state().problem == "unreadable"
    assert _search(gql, "Arabica")["degraded"] is True
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/search/?q=dau")
    assert page.status_code == 200
    assert _search(gql, "dau tay")["degraded"] is False  # the page's search queued the rebuild; it ran
    assert index_state().problem == ""


def test_a_corrupted_index_found_by_a_reader_in_a_running_process(gql, catalog, live_index) -> None:
    backend = registry.get_backend()  # open, with the index already loaded
    for name in os.listdir(_live_dir(live_index)):
        path = os.path.join(_live_dir(live_index), name)
        if os.path.isfile(path):
            with open(path, "r+b") as fh:
                fh.write(os.urandom(max(os.path.getsize(path), 64)))
    assert backend is registry.get_backend()
    found = _search(gql, "Arabica")
    assert found["degraded"] is True and found["edges"][0]["node"]["name"] == "Cà phê Arabica Cầu Đất"


def test_reconcile_compares_counts_and_rebuilds_what_fingerprints_miss(catalog) -> None:
    from search.documents import all_documents
    from search.embedded import _to_tantivy

    backend = registry.get_backend()
    twice = next(iter(all_documents()))
    with backend._writer() as writer:  # a duplicate: same id and fingerprint, one document too many
        writer.add_document(_to_tantivy(twice))
    assert backend.document_count() == len(NAMES) + 1
    drift = reconcile()
    assert drift.rebuilt and backend.document_count() == len(NAMES)
    assert reconcile().total == 0


def test_an_index_far_smaller_than_the_catalog_is_rebuilt_by_the_next_sync(catalog) -> None:
    backend = registry.get_backend()
    backend.delete([p.pk for p in Product.objects.exclude(name=NAMES[0])])
    assert index_state().problem == "incomplete"
    assert sync_pending() == len(NAMES)
    assert backend.document_count() == len(NAMES)


def test_one_writer_at_a_time(catalog, django_capture_on_commit_callbacks) -> None:
    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        from django.db import connection

        try:
            with index_writer_lock() as got:
                assert got
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        product = Product.objects.get(name=NAMES[1])
        with django_capture_on_commit_callbacks(execute=True):
            product.name = "Cà phê Moka Cầu Đất"
            product.save()  # the sync after commit finds the lock taken and leaves the mark
        assert sync_pending() == -1
        assert PendingDocument.objects.filter(product_id=product.pk).exists()
    finally:
        release.set()
        thread.join(10)
    assert sync_pending() == 1
    assert not PendingDocument.objects.exists()


def test_cached_answers_are_never_staler_than_the_index(gql, catalog, settings, monkeypatch) -> None:
    settings.GRAPHQL_RESPONSE_CACHE = True
    monkeypatch.setattr(indexing, "_enqueue_sync", lambda: None)  # the worker has not synced yet
    product = Product.objects.get(name=NAMES[1])
    product.name = "Cà phê Moka Cầu Đất"
    product.save()
    assert _search(gql, "moka")["totalCount"] == 0  # the index lags: cached under the new catalog version
    assert sync_pending() == 1  # the worker's sync commits the index...
    assert [e["node"]["name"] for e in _search(gql, "moka")["edges"]] == ["Cà phê Moka Cầu Đất"]  # ...seen at once
