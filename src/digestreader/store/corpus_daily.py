"""An import whose cost follows the page, not the library (one page into 50k papers: 2.3 s).

Known papers are found through the id table, and only the documents the page touches (a repeat
sighting, a refilled abstract) are built, each parsed from its span in the bytes the splice
holds (every document was shape checked when they were read), with the abstract segments they
live in. The merge (:func:`documents.merge_digests`, unchanged) runs over
:class:`TouchedDocs`, which holds just those and the new papers. The write splices
``corpus.json`` from its own bytes (:mod:`corpus_splice`), rewrites only the segments that
changed (under new names, as a full write does), and extends the id table.

Everything it relies on is checked first (:meth:`SplicedCorpus.open`); when something does not
hold, or a document or abstract is not as expected, :class:`Fallback` sends the caller to the full
read-modify-write, before anything was written.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import orjson

from digestreader.store.catalog import SCHEMA_VERSION, Catalog, read_checked
from digestreader.store.corpus import CorpusStore
from digestreader.store.corpus_splice import SplicedCorpus
from digestreader.store.files import open_db
from digestreader.store.idtable import corpus_stamp
from digestreader.store.shapes import check_segment

Doc = dict[str, Any]
# One JSON string as orjson writes it (a quote inside is escaped, so it ends at the first
# unescaped quote).
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


class Fallback(Exception):
    """The id table cannot carry this import: do the full read-modify-write."""


class LazyArxiv(MutableMapping[str, int]):
    """Document ids by arXiv id, found in the corpus bytes only if an entry has an arXiv id."""

    def __init__(self, find: Callable[[], dict[str, int]]) -> None:
        self._find = find
        self._found: dict[str, int] | None = None

    @property
    def _data(self) -> dict[str, int]:
        if self._found is None:
            self._found = self._find()
        return self._found

    def __getitem__(self, key: str) -> int:
        return self._data[key]

    def __setitem__(self, key: str, value: int) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class TouchedDocs(MutableMapping[int, Doc]):
    """The papers table as the merge sees it: a known paper's full document (abstract joined
    in) is read when first asked for; new papers are kept as added."""

    def __init__(self, store: CorpusStore, corpus: SplicedCorpus) -> None:
        self.store = store
        self.corpus = corpus
        self.docs: dict[int, Doc] = {}
        self.positions: dict[int, int] = {}  # known papers read: their catalog position
        self.abstracts: dict[int, str] = {}  # as read, to tell which changed
        self.segments: dict[int, dict[str, Any]] = {}  # abstract segments read, by number
        self._raw: dict[int, bytes] = {}  # segments' bytes, to pick single abstracts from

    def segment(self, at: int) -> dict[str, Any]:
        """The abstracts table of segment ``at`` (read and checked once)."""
        if at not in self.segments:
            names = self.corpus.segments
            if at >= len(names):
                raise Fallback(f"no segment {at}")
            try:
                data = read_checked(self.store.abstracts_dir / names[at], check_segment)
            except FileNotFoundError:
                raise Fallback(f"segment {names[at]} is gone") from None
            self.segments[at] = data.get("abstracts", {})
        return self.segments[at]

    def abstract(self, at: int, key: int) -> str:
        """The stored abstract of paper ``key`` in segment ``at``: picked from the segment's
        bytes when they hold it once as written (a repeat sighting only needs to know whether
        it is empty); else from the parsed and checked segment. A segment that is rewritten is
        always parsed and checked (:func:`write_daily`)."""
        if at not in self.segments:
            raw = self._raw_segment(at)
            marker = b'"' + str(key).encode("ascii") + b'":{"abstract":"'
            found = raw.find(marker)
            if found >= 0 and raw.find(marker, found + 1) < 0:
                text = _STRING.match(raw, found + len(marker) - 1)
                if text is not None:
                    return str(orjson.loads(text.group()))
        stored = self.segment(at).get(str(key))
        if stored is None:
            raise Fallback(f"paper {key} has no abstract in its segment")
        return str(stored.get("abstract", ""))

    def _raw_segment(self, at: int) -> bytes:
        if at not in self._raw:
            names = self.corpus.segments
            try:
                self._raw[at] = (self.store.abstracts_dir / names[at]).read_bytes()
            except (IndexError, OSError):
                self._raw[at] = b""  # the checked read says what is wrong
        return self._raw[at]

    def __getitem__(self, key: int) -> Doc:
        if key in self.docs:
            return self.docs[key]
        position = self.corpus.position(key)
        if position is None:
            raise KeyError(key)
        # From the bytes the splice copies, whose spans and shapes SplicedCorpus.open checked:
        # no second read of the file, lookup or check per touched paper.
        doc = orjson.loads(self.corpus.doc_bytes(position))
        if not isinstance(doc, dict) or "abstract" in doc:
            raise Fallback(f"paper {key} is not stored as a schema {SCHEMA_VERSION} document")
        # As the full read builds it (CorpusStore.read_docs), so both write the same bytes.
        doc["abstract"] = self.abstract(position // self.corpus.table.segment_papers, key)
        doc["sources"] = list(doc.get("sources", ()))
        self.docs[key], self.positions[key] = doc, position
        self.abstracts[key] = doc["abstract"]
        return doc

    def __setitem__(self, key: int, doc: Doc) -> None:
        self.docs[key] = doc

    def __delitem__(self, key: int) -> None:
        raise TypeError("papers are never removed")

    def __iter__(self) -> Iterator[int]:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def added(self) -> dict[int, Doc]:
        """The new papers, in the order added."""
        return {k: d for k, d in self.docs.items() if k not in self.positions}


def open_daily(store: CorpusStore) -> tuple[SplicedCorpus, TouchedDocs] | None:
    """The corpus ready for a spliced import, None when its id table cannot be trusted for it."""
    table = store.ids.id_table()
    if table is None or table.segment_papers != store.segment_papers():
        return None
    corpus = SplicedCorpus.open(store.corpus_path, table)
    if corpus is None:
        return None
    if not all((store.abstracts_dir / name).is_file() for name in corpus.segments):
        return None  # the full write rewrites a missing segment from what it read
    return corpus, TouchedDocs(store, corpus)


def write_daily(
    store: CorpusStore, corpus: SplicedCorpus, docs: TouchedDocs, digests: dict[int, Doc]
) -> str:
    """Store what the merge changed (the caller holds the corpus lock): changed segments under
    new names, then ``corpus.json`` spliced (the write that makes the import visible), then the
    extended id table; returns the new revision."""
    revision = uuid.uuid4().hex
    per_segment = corpus.table.segment_papers
    names = corpus.segments
    changed: dict[int, Doc] = {}
    dirty: dict[int, dict[str, str]] = {}  # segment: key -> abstract to store
    for key, position in docs.positions.items():
        doc = docs.docs[key]
        slim = {n: v for n, v in doc.items() if n != "abstract"}
        if orjson.dumps(slim) != corpus.doc_bytes(position):
            changed[position] = slim
        text = str(doc.get("abstract", ""))
        if text != docs.abstracts[key]:
            dirty.setdefault(position // per_segment, {})[str(key)] = text
    added = docs.added()
    for offset, (key, doc) in enumerate(added.items()):
        at = (len(corpus) + offset) // per_segment
        dirty.setdefault(at, {})[str(key)] = str(doc.get("abstract", ""))
    # Every segment read before the first write: a Fallback now leaves nothing behind.
    olds = {at: docs.segment(at) if at < len(names) else {} for at in sorted(dirty)}
    store.abstracts_dir.mkdir(mode=0o700, exist_ok=True)
    for at, old in olds.items():
        abstracts = {k: {"abstract": str(v.get("abstract", ""))} for k, v in old.items()}
        abstracts.update((k, {"abstract": text}) for k, text in dirty[at].items())
        name = f"{at:04d}-{revision[:12]}.json"
        open_db(store.abstracts_dir / name).storage.write(
            {"meta": {"1": {"schema": SCHEMA_VERSION}}, "abstracts": abstracts}
        )
        if at < len(names):
            names[at] = name
        else:
            names.append(name)
    meta = {"1": {"schema": SCHEMA_VERSION, "revision": revision, "segments": names}}
    slim_added = {str(k): {n: v for n, v in d.items() if n != "abstract"} for k, d in added.items()}
    tables, table = corpus.splice(
        meta, {str(k): dict(v) for k, v in digests.items()}, changed, slim_added, names
    )
    open_db(store.corpus_path).storage.write(tables)  # the one write a full import makes
    del tables
    # After the catalog, under the same lock, as a full write does: a kill in between leaves
    # the old table, whose stamp no longer matches, so it is rebuilt, never trusted.
    stamp = corpus_stamp(store.corpus_path)
    if stamp is not None:
        store.ids.put(dataclasses.replace(table, stamp=stamp, revision=revision))
    store.remove_orphans(Catalog(keys=[], docs=[], digests=[], revision=revision, segments=names))
    return revision
