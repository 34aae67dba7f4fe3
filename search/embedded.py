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
user text is never parsed as query syntax.
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
    FacetCount,
    IndexDamaged,
    SearchDocument,
    SearchFilters,
    SearchHit,
    SearchResults,
    Suggestion,
)
from search.folding import (
    clean_query,
    exact_tokens,
    experience_intent,
    fuzzy_distance,
    has_diacritics,
    joined_tokens,
    search_key,
    tokens,
)

R = TypeVar("R")
Q = tantivy.Query
OCCUR_MUST = tantivy.Occur.Must
OCCUR_SHOULD = tantivy.Occur.Should

POINTER = "CURRENT"
LOCK_FILE = ".writer.lock"
FOLD = "vi_fold"
EXACT = "vi_exact"
NULL = -1
FUZZY_FALLBACK_BELOW = 3
LOCK_TIMEOUT = 60.0
WRITER_HEAP = 32_000_000
FACET_SIZE = 1000
GOODS, EXPERIENCE = "GOODS", "EXPERIENCE"

# Weights (BM25 scores per term are ~1-5 on a small catalogue).
W_NAME, W_JOINED, W_META, W_DESC = 3.0, 2.0, 1.0, 0.6
W_PHRASE = 2.0
W_NEAR = 2.0  # words in order with up to 2 words between
W_STARTS_WITH = 6.0
W_EXACT = 2.0
W_KIND = 5.0
W_IN_STOCK = 0.5
W_OCOP_STAR = 0.15


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("name", stored=True, tokenizer_name=FOLD)
    sb.add_text_field("name_exact", tokenizer_name=EXACT)
    sb.add_text_field("name_joined", tokenizer_name="raw")
    sb.add_text_field("name_kw", tokenizer_name="raw")  # folded name as one term: starts-with
    sb.add_text_field("description", tokenizer_name=FOLD)
    sb.add_text_field("meta", tokenizer_name=FOLD)  # commune, category, seller names
    sb.add_text_field("category_name", stored=True, tokenizer_name=FOLD)
    sb.add_text_field("category_path", tokenizer_name="raw")  # every ancestor path
    sb.add_text_field("kind", tokenizer_name="raw", fast=True)
    for field in ("category_id", "commune_id", "seller_id", "ocop_stars", "in_stock", "price_min", "price_max"):
        sb.add_integer_field(field, indexed=True, fast=True)
    sb.add_integer_field("default_rank", fast=True)  # ocop, in stock, recency for the empty query
    sb.add_text_field("fingerprint", stored=True, tokenizer_name="raw")
    return sb.build()


SCHEMA = _schema()


def _register(index: tantivy.Index) -> tantivy.Index:
    fold = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    index.register_tokenizer(FOLD, fold.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
    exact = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    index.register_tokenizer(EXACT, exact.filter(tantivy.Filter.lowercase()).build())
    return index


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _to_tantivy(doc: SearchDocument) -> tantivy.Document:
    d = tantivy.Document()
    d.add_integer("id", doc.id)
    d.add_text("name", doc.name)
    d.add_text("name_exact", doc.name)
    for joined in joined_tokens(doc.name):
        d.add_text("name_joined", joined)
    d.add_text("name_kw", search_key(doc.name))
    d.add_text("description", doc.description)
    d.add_text("meta", f"{doc.commune_name} {doc.category_name} {doc.seller_name}")
    d.add_text("category_name", doc.category_name)
    for path in _ancestor_paths(doc.category_path):
        d.add_text("category_path", path)
    d.add_text("kind", doc.kind)
    d.add_integer("category_id", doc.category_id)
    d.add_integer("commune_id", doc.commune_id)
    d.add_integer("seller_id", doc.seller_id)
    stars = doc.ocop_stars if doc.ocop_stars is not None else NULL
    d.add_integer("ocop_stars", stars)
    d.add_integer("in_stock", int(doc.in_stock))
    # A product with one known price bound spans from/to it.
    low = doc.price_min if doc.price_min is not None else doc.price_max
    high = doc.price_max if doc.price_max is not None else doc.price_min
    d.add_integer("price_min", NULL if low is None else low)
    d.add_integer("price_max", NULL if high is None else high)
    created = int(doc.created_at.timestamp())
    d.add_integer("default_rank", ((max(stars, 0) * 2 + int(doc.in_stock)) * 10**11) + max(created, 0))
    d.add_text("fingerprint", doc.fingerprint)
    return d


def _term(field: str, value: Any) -> tantivy.Query:
    return Q.term_query(SCHEMA, field, value)


def _boost(query: tantivy.Query, weight: float) -> tantivy.Query:
    return Q.boost_query(query, weight)


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A clause that restricts without scoring."""
    return Q.const_score_query(query, 0.0)


def _words(terms: list[str]) -> list[str | tuple[int, str]]:
    return list(terms)


def _count(result: tantivy.SearchResult) -> int:
    return int(getattr(result, "count", 0) or 0)


def _int(value: Any) -> int:
    return int(value) if value is not None else NULL


def _range(field: str, low: int | None, high: int | None) -> tantivy.Query:
    return Q.range_query(SCHEMA, field, tantivy.FieldType.Integer, low, high)


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
        filter_clauses = self._filter_clauses(filters)
        fetch = max(limit, 1)  # tantivy needs limit >= 1; the count comes along anyway

        if not terms:
            q = self._combine([_filter(Q.all_query())], filter_clauses)
            result = searcher.search(q, limit=fetch, offset=offset, order_by_field="default_rank")
            hits_raw = result.hits
        else:
            q = self._combine(self._text_clauses(text, terms, fuzzy=False), filter_clauses)
            result = searcher.search(q, limit=fetch, offset=offset)
            if _count(result) < FUZZY_FALLBACK_BELOW:
                known = {t for t in terms if any(searcher.doc_freq(f, t) for f in _TEXT_FIELDS)}
                fuzzy_q = self._combine(self._text_clauses(text, terms, fuzzy=True, known=known), filter_clauses)
                fuzzy_result = searcher.search(fuzzy_q, limit=fetch, offset=offset)
                if _count(fuzzy_result) > _count(result):
                    q, result = fuzzy_q, fuzzy_result
            hits_raw = result.hits
        total = _count(result)
        ids = searcher.fast_field_values("id", [addr for _s, addr in hits_raw]) if hits_raw else []
        hits = [SearchHit(id=_int(pk), score=float(score)) for (score, _a), pk in zip(hits_raw, ids, strict=True)]
        hits = hits[:limit]
        facets = self._facets(searcher, q) if with_facets else {}
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

    # ---- query building ------------------------------------------------------

    @staticmethod
    def _combine(must: list[tantivy.Query], filters: list[tantivy.Query]) -> tantivy.Query:
        return Q.boolean_query([(OCCUR_MUST, c) for c in [*must, *filters]])

    @staticmethod
    def _term_alternatives(term: str, *, fuzzy: bool, last: bool, known: bool) -> tantivy.Query:
        """One query word across the fields (cross-fields AND: each word must match somewhere).

        In fuzzy mode only words missing from the vocabulary get edits (Vietnamese has
        many 3-letter syllables one edit apart: dau/dac/dak), and the last word is a prefix.
        """
        fields = (("name", W_NAME), ("description", W_DESC), ("meta", W_META))
        distance = fuzzy_distance(term) if fuzzy and not known else 0
        alternatives: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for field, weight in fields:
            if fuzzy and (distance or last):
                q = Q.fuzzy_term_query(SCHEMA, field, term, distance=distance, prefix=last)
            else:
                q = _term(field, term)
            alternatives.append((OCCUR_SHOULD, _boost(q, weight)))
        alternatives.append((OCCUR_SHOULD, _boost(_term("name_joined", term), W_JOINED)))
        return Q.boolean_query(alternatives)

    def _text_clauses(
        self, text: str, terms: list[str], *, fuzzy: bool, known: set[str] | None = None
    ) -> list[tantivy.Query]:
        musts = [
            self._term_alternatives(t, fuzzy=fuzzy, last=i == len(terms) - 1, known=t in (known or ()))
            for i, t in enumerate(terms)
        ]
        should: list[tantivy.Query] = []
        if len(terms) > 1:
            # Constant boosts: BM25 on a phrase would outweigh the kind intent below.
            should.append(Q.const_score_query(Q.phrase_query(SCHEMA, "name", _words(terms)), W_PHRASE))
            should.append(Q.const_score_query(Q.phrase_query(SCHEMA, "name", _words(terms), slop=2), W_NEAR))
            # "ca phe" also finds a name glued as "caphe" and vice versa via name_joined.
            should.append(_boost(_term("name_joined", "".join(terms)), W_JOINED))
        key = search_key(text)
        if key:
            should.append(Q.const_score_query(Q.phrase_prefix_query(SCHEMA, "name_kw", [key]), W_STARTS_WITH))
        if has_diacritics(text):
            for word in exact_tokens(text):
                should.append(_boost(_term("name_exact", word), W_EXACT))
        wanted_kind = EXPERIENCE if experience_intent(terms) else GOODS
        should.append(Q.const_score_query(_term("kind", wanted_kind), W_KIND))
        should.append(Q.const_score_query(_term("in_stock", 1), W_IN_STOCK))
        for stars in range(1, 6):
            should.append(Q.const_score_query(_term("ocop_stars", stars), W_OCOP_STAR * stars))
        required = Q.boolean_query([(OCCUR_MUST, m) for m in musts])
        return [Q.boolean_query([(OCCUR_MUST, required), *[(OCCUR_SHOULD, s) for s in should]])]

    @staticmethod
    def _filter_clauses(filters: SearchFilters) -> list[tantivy.Query]:
        out: list[tantivy.Query] = []
        if filters.kind:
            out.append(_term("kind", filters.kind))
        if filters.category_path:
            path = "/".join(p for p in filters.category_path.strip("/").split("/") if p)
            if path:
                out.append(_term("category_path", path))
        if filters.seller_id is not None:
            out.append(_term("seller_id", int(filters.seller_id)))
        if filters.commune_id is not None:
            out.append(_term("commune_id", int(filters.commune_id)))
        if filters.price_max is not None:
            # Overlap: the product's lowest price is within the budget (unpriced products drop out).
            out.append(_range("price_min", 0, int(filters.price_max)))
        if filters.price_min is not None:
            out.append(_range("price_max", max(int(filters.price_min), 0), None))
        if filters.ocop_stars_min is not None:
            out.append(_range("ocop_stars", max(int(filters.ocop_stars_min), 0), None))
        if filters.in_stock is not None:
            out.append(_term("in_stock", int(filters.in_stock)))
        return [_filter(q) for q in out]

    @staticmethod
    def _facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, list[FacetCount]]:
        spec = {name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in _FACET_FIELDS.items()}
        raw = searcher.aggregate(query, spec)
        facets: dict[str, list[FacetCount]] = {}
        for name in _FACET_FIELDS:
            buckets = raw.get(name, {}).get("buckets", [])
            counts = [
                FacetCount(value=str(b["key"]), count=int(b["doc_count"]))
                for b in buckets
                if b["key"] != NULL and b["doc_count"] > 0
            ]
            counts.sort(key=lambda c: (-c.count, c.value))
            facets[name] = counts
        return facets


_TEXT_FIELDS = ("name", "description", "meta", "name_joined")
_FACET_FIELDS = {"category": "category_id", "commune": "commune_id", "kind": "kind", "ocop_stars": "ocop_stars"}
