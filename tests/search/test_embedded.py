"""Embedded (tantivy) specifics: persistence, cross-process writers and readers, directory swaps."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.base import IndexDamaged, SearchDocument, SearchFilters
from search.embedded import POINTER, EmbeddedBackend
from tests.search.conftest import make_doc

NO_FILTERS = SearchFilters()
WRITERS = 3
UPDATES = 10


def _total(backend: EmbeddedBackend, query: str = "") -> int:
    return backend.search(query=query, filters=NO_FILTERS, offset=0, limit=10).total


def _writer_process(root: str, worker: int) -> None:
    backend = EmbeddedBackend(Path(root))
    for n in range(UPDATES):
        pk = worker * 1000 + n
        backend.index([make_doc(pk, f"Chè Thái Nguyên lô {worker} số {n}", fingerprint=f"w{worker}-{n}")])
        # Update an already-written doc too, so replacements race as well.
        backend.index([make_doc(worker * 1000, f"Chè Thái Nguyên lô {worker} số 0", fingerprint=f"w{worker}-0")])


def test_index_persists_across_instances(tmp_path: Path) -> None:
    EmbeddedBackend(tmp_path).index([make_doc(1, "Dâu tây Đà Lạt"), make_doc(2, "Cà phê Cầu Đất")])
    again = EmbeddedBackend(tmp_path)
    assert _total(again) == 2
    assert [h.id for h in again.search(query="dau tay", filters=NO_FILTERS, offset=0, limit=5).hits] == [1]
    assert again.fingerprints() == {1: "fp-1", 2: "fp-2"}


def test_reader_sees_commits_from_another_instance(tmp_path: Path) -> None:
    reader, writer = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.index([make_doc(1, "Dâu tây Đà Lạt")])
    assert _total(reader, "dau tay") == 1
    writer.index([make_doc(2, "Mứt dâu tây")])
    assert _total(reader, "dau tay") == 2
    writer.delete([1])
    assert _total(reader, "dau tay") == 1
    writer.reindex([make_doc(5, "Sầu riêng Ri6")])
    assert _total(reader) == 1
    assert _total(reader, "sau rieng") == 1
    reader.index([make_doc(6, "Sầu riêng Monthong")])
    assert _total(writer, "sau rieng") == 2


def test_an_empty_directory_has_no_index_to_read(tmp_path: Path) -> None:
    # Reads say so (the service answers from the database and has the index rebuilt) instead of
    # answering "nothing found"; writes create the index.
    backend = EmbeddedBackend(tmp_path / "nothing-yet")
    assert backend.document_count() is None
    with pytest.raises(IndexDamaged):
        _total(backend)
    with pytest.raises(IndexDamaged):
        backend.suggest(query="dau", limit=5)
    assert backend.fingerprints() == {}
    backend.delete([1])
    backend.clear()
    assert _total(backend) == 0
    assert backend.document_count() == 0


def test_many_processes_write_without_lock_errors(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer_process, args=(str(tmp_path), w)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WRITERS

    backend = EmbeddedBackend(tmp_path)
    expected = {w * 1000 + n: f"w{w}-{n}" for w in range(WRITERS) for n in range(UPDATES)}
    assert backend.fingerprints() == expected
    assert _total(backend) == WRITERS * UPDATES
    assert _total(backend, "che thai nguyen") == WRITERS * UPDATES


def test_reindex_swaps_directories_and_survives_restart(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path)
    backend.index([make_doc(1, "Dâu tây Đà Lạt")])
    first = (tmp_path / POINTER).read_text()
    time.sleep(0.001)
    backend.reindex(make_doc(i, f"Bơ 034 số {i}") for i in range(10, 20))
    second = (tmp_path / POINTER).read_text()
    assert second != first
    assert not (tmp_path / first).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("index-")) == [second]
    restarted = EmbeddedBackend(tmp_path)
    assert _total(restarted) == 10
    assert set(restarted.fingerprints()) == set(range(10, 20))


def test_failed_reindex_keeps_the_live_index(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path)
    backend.index([make_doc(1, "Dâu tây Đà Lạt")])

    def broken() -> Iterator[SearchDocument]:
        yield make_doc(2, "Cà phê")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.reindex(broken())
    assert _total(backend) == 1
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("index-")]) == 1
    backend.index([make_doc(3, "Cà phê Cầu Đất")])
    assert _total(backend) == 2
