"""Catalog documents parsed one at a time until someone needs them all: the reader's first frame.

At 50k papers parsing the whole catalog (150k containers) takes 0.2 s of a quiet machine's first
frame, and twice that under load, while the first screen shows about forty papers. With the id
table's spans, :class:`LazyDocs` parses a document when it is first asked for; iterating, or
:meth:`LazyDocs.load` (which the reader calls in a worker after its first frame), parses them
all, in batches, from the same bytes the spans point into. The first frame reads only the
catalog's head and the documents it draws, through a descriptor held open on the file it checked
(reading the whole 16 MB at 50k papers was 10-14 ms of a fresh process's start); a write
replaces the file, never changes it in place, so what the descriptor reads is what was checked.

Every document is shape checked as it is parsed, as a whole read checks them: a wrong one is the
same one-line :class:`ShapeError` naming ``corpus.json``, only later (the reader then exits with
it, as it does for a bad catalog at start). Ported from perf2 71f9ed0, 89d584f and f684fd3.
"""

from __future__ import annotations

import gc
import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import orjson

from digestreader.store.catalog import read_catalog, stamp_of
from digestreader.store.idtable import IdTable
from digestreader.store.shapes import check, check_corpus

Doc = dict[str, Any]
# One orjson call holds the GIL throughout: a whole 200k catalog is a second the UI thread cannot
# draw, a batch of 2000 documents about 10 ms.
LOAD_BATCH = 2000
KEY_ROOM = 32  # read before a document for its name: ',"' and up to 20 digits and '":'
PAPERS = b',"papers":{'


class LazyDocs(Sequence[Doc]):
    """The paper documents of one ``corpus.json`` (its bytes, and each document's span in them,
    in catalog order)."""

    def __init__(
        self,
        path: Path,
        raw: bytes,
        starts: Sequence[int],
        lengths: Sequence[int],
        file: int | None = None,
    ) -> None:
        """The documents at ``starts``/``lengths`` in ``raw``, the file's bytes, or (``raw``
        empty) in the file open as descriptor ``file``, which this object then owns (closed
        once every document is parsed, or with it)."""
        self.path = path
        self._raw = raw
        self._file = file
        # Closed once every document is parsed, or with this object, whichever comes first.
        self._close = weakref.finalize(self, os.close, file) if file is not None else None
        self._starts = starts
        self._lengths = lengths
        self._one: dict[int, Doc] = {}
        self._all: list[Doc] | None = None
        self._keys: list[str] = []
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether every document is parsed (and checked)."""
        return self._all is not None

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Doc: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Doc]: ...
    def __getitem__(self, index: int | slice) -> Doc | Sequence[Doc]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        docs = self._all
        if docs is not None:
            return docs[index]
        if index < 0:
            index += len(self)
        doc = self._one.get(index)
        if doc is None:
            if not 0 <= index < len(self):
                raise IndexError(index)
            start, length = self._starts[index], self._lengths[index]
            try:
                raw, at = self._span(start, length)
                doc = orjson.loads(memoryview(raw)[at : at + length])
            except (OSError, orjson.JSONDecodeError):
                return self.load()[index]  # the span is wrong: the whole read says what is
            check(self.path, {"papers": {key_before(raw, at): doc}}, check_corpus)
            self._one[index] = doc  # two threads may parse one document: equal values
        return doc

    def __iter__(self) -> Iterator[Doc]:
        return iter(self.load())

    def load(self) -> list[Doc]:
        """Every document, parsed in batches and shape checked (safe from any thread); a
        ShapeError (or the whole read's error) when one is wrong, and again on each call."""
        with self._lock:
            if self._all is None:
                docs, keys = self._parse()
                check(self.path, {"papers": dict(zip(keys, docs, strict=True))}, check_corpus)
                share_strings(docs)
                self._keys, self._all = keys, docs
                self._raw = b""
                self._one = {}
                if self._close is not None:  # nothing is read from the file any more
                    self._file = None
                    self._close()
            return self._all

    def _span(self, start: int, length: int) -> tuple[bytes, int]:
        """Bytes holding the document at ``start`` with its name before it, and where in
        them it starts."""
        if self._raw or self._file is None:
            return self._raw, start
        first = max(0, start - KEY_ROOM)
        return os.pread(self._file, start + length - first, first), start - first

    def _whole(self) -> bytes:
        """The file's bytes (read through the descriptor when not read yet)."""
        if self._raw or self._file is None:
            return self._raw
        size = os.fstat(self._file).st_size
        data = os.pread(self._file, size, 0)
        while len(data) < size:  # one read may return less
            more = os.pread(self._file, size - len(data), len(data))
            if not more:
                break
            data += more
        return data

    def _parse(self) -> tuple[list[Doc], list[str]]:
        try:
            whole = self._whole()
        except OSError:
            whole = b""  # the whole checked read below says what the file holds, or why not
        raw, starts, lengths = memoryview(whole), self._starts, self._lengths
        docs: list[Doc] = []
        was_enabled = gc.isenabled()
        gc.disable()  # see corpus: the collector would walk the growing catalog again and again
        try:
            for first in range(0, len(starts), LOAD_BATCH):
                last = min(first + LOAD_BATCH, len(starts))
                spans = [raw[starts[i] : starts[i] + lengths[i]] for i in range(first, last)]
                docs.extend(orjson.loads(b"[" + b",".join(spans) + b"]"))
        except orjson.JSONDecodeError:
            docs = []
        finally:
            if was_enabled:
                gc.enable()
        keys = [key_before(whole, start) for start in starts]
        if len(docs) != len(starts) or not all(key.isdigit() for key in keys):
            # Not laid out as the spans say: the whole checked read (today's errors, or the
            # documents as it finds them).
            catalog = read_catalog(self.path)
            return list(catalog.docs), list(catalog.keys)
        return docs, keys

    def keys(self) -> list[str]:
        """The documents' ids in the file (the join key with the abstracts), parsing all."""
        self.load()
        return self._keys


def key_before(raw: bytes, start: int) -> str:
    """The name a document is stored under: the ``"123":`` just before ``start`` in ``raw``."""
    if start < 2 or raw[start - 2 : start] != b'":':
        return ""
    quote = raw.rfind(b'"', 0, start - 2)
    return raw[quote + 1 : start - 2].decode("ascii", "replace")


def share_strings(docs: Sequence[Doc]) -> None:
    """Make each repeated value one string: the digest names and dates of the sightings and
    the import times, which JSON parsing makes anew for every paper (10 MB of 51 at 50k
    papers). Equal values, so a thread reading a document meanwhile sees the same text."""
    seen: dict[str, str] = {}
    for doc in docs:
        first = doc.get("first_seen")
        if isinstance(first, str):
            doc["first_seen"] = seen.setdefault(first, first)
        for sighting in doc.get("sources", ()):
            for name in ("digest", "date"):
                value = sighting.get(name)
                if isinstance(value, str):
                    sighting[name] = seen.setdefault(value, value)


class LazyKeys(Sequence[str]):
    """The catalog's document ids, known once the documents are all parsed."""

    def __init__(self, docs: LazyDocs) -> None:
        self._docs = docs

    def __len__(self) -> int:
        return len(self._docs)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._docs.keys()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs.keys())


def open_lazy(corpus: Path, table: IdTable) -> tuple[LazyDocs, dict[str, Any]] | None:
    """The documents of ``corpus`` as :class:`LazyDocs`, and its other tables (meta, digests)
    parsed (the caller checks them); None when ``table`` does not describe it or it is not laid
    out as this version writes it (meta and digests first): then the whole catalog is read.
    Only the head is read here: the documents are read as they are asked for."""
    count = len(table.keys)
    if not count or len(table.starts) != count or 0 in table.lengths:
        return None
    try:
        file = os.open(corpus, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        opened = _open_head(file, table)
    except BaseException:
        os.close(file)
        raise
    if opened is None:
        os.close(file)
        return None
    return LazyDocs(corpus, b"", table.starts, table.lengths, file), opened


def _open_head(file: int, table: IdTable) -> dict[str, Any] | None:
    """The meta and digests of the open ``corpus.json`` ``file`` when it is the one ``table``
    describes (its stamp) and laid out as this version writes it, else None."""
    try:
        stat = os.fstat(file)
        # Everything before the first document: the meta and digests, then the papers' name.
        head = os.pread(file, min(table.starts[0], stat.st_size), 0)
    except OSError:
        return None
    papers_at = head.find(PAPERS)
    if stamp_of(stat) != table.stamp or papers_at < 0:
        return None  # rewritten meanwhile, or laid out otherwise
    try:
        parsed = orjson.loads(memoryview(head)[:papers_at].tobytes() + b"}")
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None
