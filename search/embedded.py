"""The embedded search backend: a tantivy index on local disk (no server).

Layout under the root directory given to the constructor::

    <root>/.writer.lock        fcntl lock: one writer at a time, across processes
    <root>/CURRENT             name of the live index directory (swapped with os.replace)
    <root>/index-<ns>-<pid>/   tantivy index directories

Every write (index/delete/reindex/clear) takes the file lock, opens a tantivy
IndexWriter, commits and drops it, so several web/worker processes can write
without ever seeing tantivy's LockBusy. Readers check CURRENT and call
``index.reload()`` before each search, so they see commits and rebuilds made by
other processes. All queries are built programmatically from folded tokens:
user text is never parsed as query syntax (see search.embedded_queries).
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import tantivy

from search.base import (
    IndexDamaged,
    SearchDocument,
    SearchFilters,
    SearchHit,
    SearchResults,
    Suggestion,
)
from search.embedded_queries import (
    _TEXT_FIELDS,
    OCCUR_SHOULD,
    SCHEMA,
    Q,
    _boost,
    _combine,
    _count,
    _facets,
    _filter,
    _filter_clauses,
    _int,
    _register,
    _term,
    _text_clauses,
    _to_tantivy,
    _words,
)
from search.folding import clean_query, search_key, tokens

R = TypeVar("R")
POINTER = "CURRENT"
LOCK_FILE = ".writer.lock"
FUZZY_FALLBACK_BELOW = 3
LOCK_TIMEOUT = 60.0
WRITER_HEAP = 32_000_000


def _reads(method: Callable[..., R]) -> Callable[..., R]:
    """A segment file that went bad after opening surfaces as ValueError mid-search: IndexDamaged."""

    @functools.wraps(method)
    def read(self: EmbeddedBackend, *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, *args, **kwargs)
        except ValueError as exc:
            raise IndexDamaged(f"embedded index at {self.root}: {exc}") from exc

    return read


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path | str) -> None:
        self.root = Path(path)
        self.root.mkdir(parents=True, exist_ok=True)
        self._mutex = threading.RLock()
        self._dir_name: str | None = None
        self._index: tantivy.Index | None = None

    # ---- locations and locking -------------------------------------------------

    def _read_pointer(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def _write_pointer(self, name: str) -> None:
        tmp = self.root / f".{POINTER}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(tmp, "w") as fh:
            fh.write(name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / POINTER)
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @staticmethod
    def _new_dir_name() -> str:
        return f"index-{time.time_ns()}-{os.getpid()}"

    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """Exclusive across threads and processes; waits (with retry) instead of failing."""
        with self._mutex:
            self.root.mkdir(parents=True, exist_ok=True)  # the whole folder may have been deleted
            fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                deadline = time.monotonic() + LOCK_TIMEOUT
                delay = 0.002
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as exc:
                        if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                            raise
                        time.sleep(delay)
                        delay = min(delay * 2, 0.05)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _open(self, name: str) -> tantivy.Index:
        return _register(tantivy.Index(SCHEMA, path=str(self.root / name), reuse=True))

    def _create(self) -> str:
        """A fresh empty index made current (caller holds the writer lock)."""
        name = self._new_dir_name()
        (self.root / name).mkdir()
        index = self._open(name)
        writer = index.writer(WRITER_HEAP, 1)
        writer.commit()
        writer.wait_merging_threads()
        self._write_pointer(name)
        return name

    def _current(self, *, create: bool = False) -> tantivy.Index | None:
        """The live index, re-opened if another process swapped CURRENT, reloaded (IndexDamaged when unreadable)."""
        try:
            return self._current_unchecked(create=create)
        except (ValueError, OSError) as exc:  # tantivy reports corrupt or vanished files as ValueError
            self._index, self._dir_name = None, None
            raise IndexDamaged(f"embedded index at {self.root}: {exc}") from exc

    def _live(self) -> tantivy.Index:
        index = self._current()
        if index is None:
            raise IndexDamaged(f"no embedded index at {self.root}")
        return index

    def _current_unchecked(self, *, create: bool) -> tantivy.Index | None:
        with self._mutex:
            name = self._read_pointer()
            if name is None or not (self.root / name).is_dir():
                if not create:
                    return None
                name = self._create()
            if name != self._dir_name or self._index is None:
                self._index = self._open(name)
                self._dir_name = name
            else:
                self._index.reload()
            return self._index

    @contextmanager
    def _writer(self) -> Iterator[tantivy.IndexWriter]:
        with self._writer_lock():
            index = self._current(create=True)
            assert index is not None
            writer = self._open_writer(index)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            index.reload()

    @staticmethod
    def _open_writer(index: tantivy.Index) -> tantivy.IndexWriter:
        # The file lock makes tantivy's own lock free in practice; retry anyway in case a
        # writer from a crashed or foreign process is still being dropped.
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                return index.writer(WRITER_HEAP, 1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    # ---- writes --------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        docs = list(documents)
        if not docs:
            return
        with self._writer() as writer:
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(_to_tantivy(doc))

    def delete(self, ids: Iterable[int]) -> None:
        wanted = list(ids)
        if not wanted:
            return
        with self._writer() as writer:
            for pk in wanted:
                writer.delete_documents_by_term("id", int(pk))

    def clear(self) -> None:
        with self._writer() as writer:
            writer.delete_all_documents()

    def reindex(self, documents: Iterable[SearchDocument]) -> None:
        """Build a new directory, then swap CURRENT atomically; readers never see a partial index.

        The writer lock is held throughout so incremental writes wait for the swap
        and then land in the new index instead of being lost in the old one.
        """
        with self._writer_lock():
            name = self._new_dir_name()
            new_dir = self.root / name
            new_dir.mkdir()
            try:
                self._build(name, documents)
            except BaseException:
                shutil.rmtree(new_dir, ignore_errors=True)
                raise
            self._write_pointer(name)
            with self._mutex:
                self._index = None
                self._dir_name = None
            self._remove_stale(keep=name)

    def _build(self, name: str, documents: Iterable[SearchDocument]) -> None:
        index = self._open(name)
        writer = index.writer(WRITER_HEAP * 2, 1)
        try:
            seen: set[int] = set()
            for doc in documents:
                if doc.id in seen:
                    writer.delete_documents_by_term("id", doc.id)
                seen.add(doc.id)
                writer.add_document(_to_tantivy(doc))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            # Joins the writer's threads and releases its files before any cleanup.
            writer.wait_merging_threads()

    def _remove_stale(self, *, keep: str) -> None:
        # Open readers in other processes keep their mmapped files until they re-read CURRENT.
        for child in self.root.iterdir():
            if child.name.startswith("index-") and child.name != keep and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    # ---- reads ---------------------------------------------------------------

    def document_count(self) -> int | None:
        index = self._current()
        return None if index is None else int(index.searcher().num_docs)

    def fingerprints(self) -> dict[int, str]:
        index = self._current()
        if index is None:
            return {}
        searcher = index.searcher()
        total = searcher.num_docs
        if total == 0:
            return {}
        out: dict[int, str] = {}
        result = searcher.search(Q.all_query(), limit=total, count=False)
        for _score, address in result.hits:
            stored = searcher.doc(address)
            out[_int(stored.get_first("id"))] = stored.get_first("fingerprint") or ""
        return out

    @_reads
    def search(
        self, *, query: str, filters: SearchFilters, offset: int, limit: int, with_facets: bool = True
    ) -> SearchResults:
        searcher = self._live().searcher()
        offset, limit = max(0, offset), max(0, limit)
        text = clean_query(query)
        terms = tokens(text)
        filter_clauses = _filter_clauses(filters)
        fetch = max(limit, 1)  # tantivy needs limit >= 1; the count comes along anyway

        if not terms:
            q = _combine([_filter(Q.all_query())], filter_clauses)
            result = searcher.search(q, limit=fetch, offset=offset, order_by_field="default_rank")
            hits_raw = result.hits
        else:
            q = _combine(_text_clauses(text, terms, fuzzy=False), filter_clauses)
            result = searcher.search(q, limit=fetch, offset=offset)
            if _count(result) < FUZZY_FALLBACK_BELOW:
                known = {t for t in terms if any(searcher.doc_freq(f, t) for f in _TEXT_FIELDS)}
                fuzzy_q = _combine(_text_clauses(text, terms, fuzzy=True, known=known), filter_clauses)
                fuzzy_result = searcher.search(fuzzy_q, limit=fetch, offset=offset)
                if _count(fuzzy_result) > _count(result):
                    q, result = fuzzy_q, fuzzy_result
            hits_raw = result.hits
        total = _count(result)
        ids = searcher.fast_field_values("id", [addr for _s, addr in hits_raw]) if hits_raw else []
        hits = [SearchHit(id=_int(pk), score=float(score)) for (score, _a), pk in zip(hits_raw, ids, strict=True)]
        hits = hits[:limit]
        facets = _facets(searcher, q) if with_facets else {}
        return SearchResults(hits=hits, total=total, facets=facets)

    @_reads
    def suggest(self, *, query: str, limit: int) -> list[Suggestion]:
        text = clean_query(query)
        terms = tokens(text)
        key = search_key(text)
        if len(key) < 2 or limit <= 0:
            return []
        searcher = self._live().searcher()
        name_q = Q.phrase_prefix_query(SCHEMA, "name", _words(terms)) if len(terms) > 0 else Q.empty_query()
        starts = Q.phrase_prefix_query(SCHEMA, "name_kw", [key])
        product_q = Q.boolean_query(
            [
                (OCCUR_SHOULD, _boost(name_q, 1.0)),
                (OCCUR_SHOULD, Q.const_score_query(starts, 100.0)),
            ]
        )
        starting: list[Suggestion] = []
        others: list[Suggestion] = []
        seen: set[str] = set()

        # Categories whose (folded) name has the typed prefix, from the live products.
        cat_q = Q.phrase_prefix_query(SCHEMA, "category_name", _words(terms))
        buckets = searcher.aggregate(cat_q, {"c": {"terms": {"field": "category_id", "size": limit}}})
        for bucket in buckets.get("c", {}).get("buckets", []):
            found = searcher.search(_term("category_id", int(bucket["key"])), limit=1, count=False).hits
            if not found:
                continue
            cat_name = searcher.doc(found[0][1]).get_first("category_name") or ""
            if not cat_name or cat_name in seen:
                continue
            seen.add(cat_name)
            target = starting if search_key(cat_name).startswith(key) else others
            target.append(Suggestion(text=cat_name, product_id=None))

        result = searcher.search(product_q, limit=limit * 2)
        for _score, address in result.hits:
            stored = searcher.doc(address)
            name = stored.get_first("name") or ""
            if name in seen:
                continue
            seen.add(name)
            target = starting if search_key(name).startswith(key) else others
            target.append(Suggestion(text=name, product_id=_int(stored.get_first("id"))))
        # Products starting with the typed text first, then categories, then the rest.
        starting.sort(key=lambda s: s.product_id is None)
        return (starting + others)[:limit]
