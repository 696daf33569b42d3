"""The corpus on disk: papers and digests in ``corpus.json``, abstracts in ``abstracts/``.

Abstracts are four fifths of the bytes; keeping them apart lets the reader draw its first frame
from the small file and load abstracts after. They are cut into segments of ``SEGMENT_PAPERS``
papers in first-seen order: loading never holds more than one segment of raw JSON beside the
parsed text (one 61 MB file at 50k papers peaked the reader at 300 MB), and since new papers go
at the end, an import rewrites only the segments it touched (the last one, for a daily page).

All are TinyDB files with the atomic storage. A write puts the abstracts down first: a crash in
between leaves abstracts nobody points at (harmless, rewritten next time), never a paper without
its abstract. Every write stamps a new ``revision`` into the meta table, which derived caches
(the search index) compare against.

Schema 2 keyed papers by 8-digit ids, which collide (see models.KEY_LENGTH). Such a corpus is
read with keys derived from its titles (the abstracts stay joined by their old document ids) and
rewritten as schema 3 by :func:`migration.migrate` on the first write.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestreader.store.documents import doc_id_of
from digestreader.store.files import StorageError, open_db
from digestreader.store.identity import legacy_keys

# 1 kept abstracts inside corpus.json, 2 keyed papers by 8-digit ids; both still read, and
# rewritten as 3 by the first write
SCHEMA_VERSION = 3
CORPUS_FILE = "corpus.json"
ABSTRACTS_DIR = "abstracts"
SEGMENT_PAPERS = 4096

Docs = dict[int, dict[str, Any]]
StatKey = tuple[int, int] | None


class SchemaError(StorageError):
    """A library file written by a newer digestreader."""


def schema_of(data: Mapping[str, Any] | None) -> int | None:
    """The schema stamped in a TinyDB file's meta table, None when it has none."""
    version = (data or {}).get("meta", {}).get("1", {}).get("schema")
    return version if isinstance(version, int) else None


def check_schema(path: Path, data: Mapping[str, Any] | None) -> None:
    """Refuse files from a newer schema rather than misread them."""
    meta = (data or {}).get("meta", {}).get("1", {})
    version = meta.get("schema", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path} has schema version {version}; this digestreader reads up to {SCHEMA_VERSION}"
        )


def read_checked(path: Path) -> dict[str, Any]:
    """The whole TinyDB file at ``path`` ({} when missing), schema checked."""
    data = open_db(path).storage.read()
    check_schema(path, data)
    return data or {}


def _stat_key(path: Path) -> StatKey:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class Catalog:
    """The corpus without abstracts: what a first frame needs, loaded in one small read."""

    keys: list[str]  # TinyDB document ids, the join key with abstracts.json
    docs: list[dict[str, Any]]  # paper documents in first-seen order, no "abstract"
    digests: list[dict[str, Any]]
    revision: str
    inline_abstracts: dict[str, str] = field(default_factory=dict)  # schema 1 files
    legacy_ids: dict[str, str] = field(default_factory=dict)  # schema < 3: stored id -> key

    @property
    def legacy(self) -> bool:
        """Whether the corpus on disk still has the ids of schema 2 (rewritten on a write)."""
        return bool(self.legacy_ids)


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
        self._catalog: tuple[StatKey, Catalog] | None = None
        self._written_abstracts: tuple[Catalog, list[str]] | None = None
        self._stored_texts: dict[str, str] | None = None  # on disk, as of the last read_docs

    def segment_path(self, segment: int) -> Path:
        """The file holding the abstracts of papers ``segment * SEGMENT_PAPERS`` onwards."""
        return self.abstracts_dir / f"{segment:04d}.json"

    @property
    def lock_path(self) -> Path:
        """The one lock that guards both files."""
        return self.corpus_path

    def catalog(self) -> Catalog:
        """Papers and digests without abstracts; re-read only when corpus.json changed."""
        key = _stat_key(self.corpus_path)
        if self._catalog is not None and self._catalog[0] == key:
            return self._catalog[1]
        data = read_checked(self.corpus_path) if key is not None else {}
        papers: Mapping[str, dict[str, Any]] = data.get("papers", {})
        inline = {k: str(d.pop("abstract")) for k, d in papers.items() if "abstract" in d}
        docs = list(papers.values())
        legacy = {}
        if (schema_of(data) or 1) < SCHEMA_VERSION and docs:
            legacy = legacy_keys(
                docs
            )  # hashing every title: ~60 ms per 10,000 papers, until the first write migrates
            docs = [dict(d, id=legacy[str(d["id"])]) for d in docs]
        catalog = Catalog(
            keys=list(papers),
            docs=docs,
            digests=list(data.get("digests", {}).values()),
            revision=str(data.get("meta", {}).get("1", {}).get("revision", "")),
            inline_abstracts=inline,
            legacy_ids=legacy,
        )
        self._catalog = (key, catalog)
        return catalog

    def abstracts(self, catalog: Catalog) -> list[str]:
        """The abstract of every paper of ``catalog``, in its order ("" when none is stored)."""
        if self._written_abstracts is not None and self._written_abstracts[0] is catalog:
            return self._written_abstracts[1]  # what this process just wrote: no need to re-read
        texts: dict[str, str] = {}
        for path in sorted(self.abstracts_dir.glob("[0-9]*.json")):
            table = read_checked(path).get("abstracts", {})
            texts.update((key, str(doc.get("abstract", ""))) for key, doc in table.items())
        inline = catalog.inline_abstracts
        if catalog.legacy:
            # A migration interrupted between writing abstracts and the catalog left some
            # segments keyed by the new document ids: look there too.
            return [
                texts.get(k, texts.get(str(doc_id_of(d["id"])), inline.get(k, "")))
                for k, d in zip(catalog.keys, catalog.docs, strict=True)
            ]
        return [texts.get(k, inline.get(k, "")) for k in catalog.keys]

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
        """Store full documents: abstracts first, then the catalog; returns the new revision."""
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
        for segment, abstracts in enumerate(segments):
            path = self.segment_path(segment)
            if segment in dirty or not path.exists():
                open_db(path).storage.write(
                    {"meta": {"1": {"schema": SCHEMA_VERSION}}, "abstracts": abstracts}
                )
        # One storage write for all tables: a crash can never leave digests recorded without
        # their papers (which would make a re-import skip them as already known).
        open_db(self.corpus_path).storage.write(
            {
                "meta": {"1": {"schema": SCHEMA_VERSION, "revision": revision}},
                "digests": {str(k): dict(v) for k, v in digests.items()},
                "papers": slim,
            }
        )
        # Keep what was written: indexing right after an import must not re-read 75 MB.
        catalog = Catalog(
            keys=list(slim),
            docs=list(slim.values()),
            digests=[dict(v) for v in digests.values()],
            revision=revision,
        )
        self._catalog = (_stat_key(self.corpus_path), catalog)
        texts = [str(papers[int(k)].get("abstract", "")) for k in catalog.keys]
        self._written_abstracts = (catalog, texts)
        self._stored_texts = None  # the next write reads again first
        return revision
