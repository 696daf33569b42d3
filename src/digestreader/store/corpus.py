"""The corpus on disk: papers and digests in ``corpus.json``, abstracts in ``abstracts/``.

Abstracts are four fifths of the bytes; keeping them apart lets the reader draw its first frame
from the small file and load abstracts after. They are cut into segments of ``SEGMENT_PAPERS``
papers in first-seen order: loading never holds more than one segment of raw JSON beside the
parsed text (one 61 MB file at 50k papers peaked the reader at 300 MB), and since new papers go
at the end, an import rewrites only the segments it touched (the last one, for a daily page).

All are TinyDB files with the atomic storage. An import is all or nothing: a rewritten segment
gets a new name (``NNNN-<revision>.json``) and ``corpus.json`` lists the segments it uses, so
until ``corpus.json`` itself is replaced, readers see the old segments; after, the old ones are
orphans, deleted then or at the next write. (Segments rewritten in place under a fixed name
changed what readers saw - a refilled abstract - when the catalog write then failed.) Libraries
written before the list existed use ``NNNN.json``. Every write stamps a new ``revision`` into the
meta table, which derived caches (the search index) compare against.

Schema 2 keyed papers by 8-digit ids, which collide (see models.KEY_LENGTH). Such a corpus is
read with keys derived from its titles (the abstracts stay joined by their old document ids) and
rewritten as schema 3 by :func:`migration.migrate` on the first write.
"""

from __future__ import annotations

import contextlib
import errno
import re
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from digestreader.store.catalog import (
    SCHEMA_VERSION,
    SEGMENT_PAPERS,
    Catalog,
    SchemaError,
    StatKey,
    catalog_from,
    check_schema,
    read_catalog,
    read_checked,
    schema_of,
    stat_key,
)
from digestreader.store.corpus_ids import CorpusIds
from digestreader.store.documents import doc_id_of
from digestreader.store.files import open_db
from digestreader.store.idtable import IDS_FILE, serialize_corpus
from digestreader.store.lazy_catalog import LazyDocs, LazyKeys, open_lazy
from digestreader.store.shapes import check, check_corpus, check_segment

# Catalog, schema and checked reads live in store.catalog; re-exported for the rest of the store.
__all__ = [
    "SCHEMA_VERSION",
    "SEGMENT_PAPERS",
    "Catalog",
    "CorpusStore",
    "SchemaError",
    "check_schema",
    "read_checked",
    "schema_of",
]

CORPUS_FILE = "corpus.json"
ABSTRACTS_DIR = "abstracts"
LEGACY_SEGMENT = re.compile(r"[0-9]{4}\.json")
SEGMENT = re.compile(r"[0-9]{4}(-[0-9a-f]{12})?\.json")

Docs = dict[int, dict[str, Any]]


def _fold(kept: dict[str, Any], twin: Mapping[str, Any]) -> None:
    """Fold ``twin``, the same paper under another old id, into ``kept``."""
    kept["sources"].extend(s for s in twin["sources"] if s not in kept["sources"])
    if not kept.get("abstract"):
        kept["abstract"] = twin.get("abstract", "")


class CorpusStore:
    """Reads and writes the two corpus files; the caller holds the corpus lock for writes."""

    def __init__(self, root: Path) -> None:
        self.corpus_path = root / CORPUS_FILE
        self.abstracts_dir = root / ABSTRACTS_DIR
        self.ids_path = root / IDS_FILE
        # The id table: a part of its own, rebuilt from this store's checked catalog.
        self.ids = CorpusIds(
            self.corpus_path,
            self.abstracts_dir,
            self.ids_path,
            self.catalog,
            self.segment_names,
            lambda: self.segment_papers(),  # looked up at each use: tests make segments small
        )
        self._catalog: tuple[StatKey, Catalog] | None = None
        self._lazy: tuple[StatKey, Catalog] | None = None  # the first frame's catalog
        self._written_abstracts: tuple[Catalog, list[str]] | None = None
        self._stored_texts: dict[str, str] | None = None  # on disk, as of the last read_docs

    def segment_path(self, segment: int) -> Path:
        """The file holding the abstracts of papers ``segment * SEGMENT_PAPERS`` onwards."""
        return self.abstracts_dir / f"{segment:04d}.json"

    @property
    def lock_path(self) -> Path:
        """The one lock that guards both files."""
        return self.corpus_path

    @property
    def guards(self) -> tuple[Path, ...]:
        """What the corpus lock guards besides corpus.json (its leftovers are cleaned in it)."""
        return (self.abstracts_dir, self.ids_path)

    def segment_papers(self) -> int:
        """Papers per abstract segment (this module's, so a test can make segments small)."""
        return SEGMENT_PAPERS

    def segment_names(self, catalog: Catalog) -> list[str]:
        """The abstract files ``catalog`` reads, in order."""
        if catalog.segments is not None:
            return list(catalog.segments)
        try:
            names = [e.name for e in self.abstracts_dir.iterdir()]
        except FileNotFoundError:
            return []
        return sorted(n for n in names if LEGACY_SEGMENT.fullmatch(n))

    def orphans(self, catalog: Catalog) -> list[Path]:
        """Segment files that ``catalog`` does not use (left by an import that failed or was
        killed before its catalog was written, or replaced by a later one)."""
        if catalog.segments is None:
            return []
        used = set(catalog.segments)
        try:
            names = [e.name for e in self.abstracts_dir.iterdir()]
        except FileNotFoundError:
            return []
        return [
            self.abstracts_dir / n for n in sorted(names) if SEGMENT.fullmatch(n) and n not in used
        ]

    def remove_orphans(self, catalog: Catalog) -> None:
        """Delete unused segments (call under the corpus lock); best effort: one that stays is
        only disk space, and the next write tries again."""
        for path in self.orphans(catalog):
            with contextlib.suppress(OSError):
                path.unlink()

    def catalog(self) -> Catalog:
        """Papers and digests without abstracts; re-read only when corpus.json changed."""
        key = stat_key(self.corpus_path)
        if self._catalog is not None and self._catalog[0] == key:
            return self._catalog[1]
        lazy = self._lazy
        if lazy is not None and lazy[0] == key:
            # The first frame's catalog of this very file: its documents parsed (and checked)
            # in place, not a second copy of 50k documents for the states and abstracts.
            if isinstance(lazy[1].docs, LazyDocs):
                lazy[1].docs.load()
            return lazy[1]
        catalog = read_catalog(self.corpus_path) if key is not None else catalog_from({})
        self._catalog = (key, catalog)
        return catalog

    def lazy_catalog(self) -> Catalog:
        """The catalog with its documents parsed as they are asked for (see
        :mod:`lazy_catalog`), when a current id table knows where each one is; else
        :meth:`catalog` (correct first: a stale table means today's whole read)."""
        key = stat_key(self.corpus_path)
        if self._catalog is not None and self._catalog[0] == key:
            return self._catalog[1]  # parsed already
        if self._lazy is not None and self._lazy[0] == key:
            return self._lazy[1]
        table = self.ids.id_table()
        opened = open_lazy(self.corpus_path, table) if table is not None else None
        if opened is None:
            return self.catalog()
        docs, head = opened
        check_schema(self.corpus_path, head)
        check(self.corpus_path, head, check_corpus)  # meta and digests; papers as parsed
        meta = head.get("meta", {}).get("1", {})
        segments = meta.get("segments")
        catalog = Catalog(
            keys=LazyKeys(docs),
            docs=docs,
            digests=list(head.get("digests", {}).values()),
            revision=str(meta.get("revision", "")),
            segments=list(segments) if segments is not None else None,
        )
        self._lazy = (key, catalog)
        return catalog

    def abstracts(self, catalog: Catalog) -> list[str]:
        """The abstract of every paper of ``catalog``, in its order ("" when none is stored)."""
        if self._written_abstracts is not None and self._written_abstracts[0] is catalog:
            return self._written_abstracts[1]  # what this process just wrote: no need to re-read
        try:
            texts = self._read_segments(self.segment_names(catalog))
        except FileNotFoundError:
            # Another process replaced this catalog's segments since it was read: the current
            # ones hold the same papers under the same keys (papers are never removed).
            texts = self._read_segments(self.segment_names(self.catalog()))
        inline = catalog.inline_abstracts
        if catalog.legacy:
            # A migration interrupted between writing abstracts and the catalog left some
            # segments keyed by the new document ids: look there too.
            return [
                texts.get(k, texts.get(str(doc_id_of(d["id"])), inline.get(k, "")))
                for k, d in zip(catalog.keys, catalog.docs, strict=True)
            ]
        return [texts.get(k, inline.get(k, "")) for k in catalog.keys]

    def _read_segments(self, names: Sequence[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for name in names:
            path = self.abstracts_dir / name
            if not path.exists():
                raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
            table = read_checked(path, check_segment).get("abstracts", {})
            texts.update((key, str(doc.get("abstract", ""))) for key, doc in table.items())
        return texts

    def read_docs(self) -> tuple[Docs, Docs]:
        """Full paper documents (abstracts joined in) and digests, for a read-modify-write."""
        catalog = self.catalog()
        texts = self.abstracts(catalog)
        self._stored_texts = dict(zip(catalog.keys, texts, strict=True))
        papers: Docs = {}
        for k, d, text in zip(catalog.keys, catalog.docs, texts, strict=True):
            # sources is copied because merging appends to it and the catalog is cached
            doc = dict(d, abstract=text, sources=list(d.get("sources", ())))
            # An older corpus is re-keyed here, so the write that follows stores schema 3.
            doc_id = doc_id_of(doc["id"]) if catalog.legacy else int(k)
            if doc_id in papers:  # one title stored twice under two old ids: one paper now
                _fold(papers[doc_id], doc)
            else:
                papers[doc_id] = doc
        digests = {i: dict(d) for i, d in enumerate(catalog.digests, start=1)}
        return papers, digests

    def write(self, papers: Docs, digests: Docs) -> str:
        """Store full documents: changed segments under new names, then the catalog that lists
        them (the one write that makes the import visible); returns the new revision."""
        previous = self.catalog()
        old_names = self.segment_names(previous) if previous.keys else []
        segments: list[dict[str, dict[str, str]]] = []
        dirty: set[int] = set()
        stored = self._stored_texts
        for position, (key, doc) in enumerate(papers.items()):
            segment, text = position // SEGMENT_PAPERS, str(doc.get("abstract", ""))
            if segment == len(segments):
                segments.append({})
            segments[segment][str(key)] = {"abstract": text}
            if stored is None or stored.get(str(key)) != text:
                dirty.add(segment)
        slim = {str(k): {n: v for n, v in d.items() if n != "abstract"} for k, d in papers.items()}
        revision = uuid.uuid4().hex
        self.abstracts_dir.mkdir(mode=0o700, exist_ok=True)
        names: list[str] = []
        for segment, abstracts in enumerate(segments):
            reuse = (
                segment < len(old_names) and segment not in dirty and not previous.inline_abstracts
            )
            if reuse and (self.abstracts_dir / old_names[segment]).exists():
                names.append(old_names[segment])
                continue
            name = f"{segment:04d}-{revision[:12]}.json"
            open_db(self.abstracts_dir / name).storage.write(
                {"meta": {"1": {"schema": SCHEMA_VERSION}}, "abstracts": abstracts}
            )
            names.append(name)
        # One storage write for all tables: a crash can never leave digests recorded without
        # their papers (which would make a re-import skip them as already known). Serialized
        # paper by paper, so the id table learns where each document is.
        tables, spans = serialize_corpus(
            {"1": {"schema": SCHEMA_VERSION, "revision": revision, "segments": names}},
            {str(k): dict(v) for k, v in digests.items()},
            slim,
        )
        open_db(self.corpus_path).storage.write(tables)
        del tables
        # After the catalog, under the same lock: a kill in between leaves the old table, which
        # no longer matches corpus.json's stamp and revision, so it is rebuilt, never trusted.
        self.ids.write(list(slim), [str(d["id"]) for d in slim.values()], spans, revision, names)
        # Keep what was written: indexing right after an import must not re-read 75 MB.
        catalog = Catalog(
            keys=list(slim),
            docs=list(slim.values()),
            digests=[dict(v) for v in digests.values()],
            revision=revision,
            segments=names,
        )
        self._catalog = (stat_key(self.corpus_path), catalog)
        self.remove_orphans(catalog)
        texts = [str(papers[int(k)].get("abstract", "")) for k in catalog.keys]
        self._written_abstracts = (catalog, texts)
        self._stored_texts = None  # the next write reads again first
        return revision
