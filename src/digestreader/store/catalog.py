"""The catalog: ``corpus.json`` read and checked, papers and digests without abstracts.

What every read of the corpus shares: the schema stamp (a newer file is refused, never
misread), the shape check on every read, and the :class:`Catalog` built from the parsed file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestreader.store.files import AtomicJSONStorage, StorageError
from digestreader.store.identity import legacy_keys
from digestreader.store.shapes import Checker, check, check_corpus

# 1 kept abstracts inside corpus.json, 2 keyed papers by 8-digit ids; both still read, and
# rewritten as 3 by the first write
SCHEMA_VERSION = 3
SEGMENT_PAPERS = 4096  # papers per abstract segment file (see store.corpus)
StatKey = tuple[int, int] | None


class SchemaError(StorageError):
    """A library file written by a newer digestreader."""


def schema_of(data: Mapping[str, Any] | None) -> int | None:
    """The schema stamped in a TinyDB file's meta table, None when it has none."""
    meta = (data or {}).get("meta")
    first = meta.get("1") if isinstance(meta, dict) else None
    version = first.get("schema") if isinstance(first, dict) else None
    return version if isinstance(version, int) else None


def check_schema(path: Path, data: Mapping[str, Any] | None) -> None:
    """Refuse files from a newer schema rather than misread them."""
    meta = (data or {}).get("meta")
    first = meta.get("1") if isinstance(meta, dict) else None
    version = first.get("schema", 1) if isinstance(first, dict) else 1
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path} has schema version {version}; this digestreader reads up to {SCHEMA_VERSION}"
        )


def read_checked(path: Path, checker: Checker) -> dict[str, Any]:
    """The whole TinyDB file at ``path`` ({} when missing), schema checked (a newer file is
    refused as such), then shape checked with ``checker`` (each kind of file has its own)."""
    data = AtomicJSONStorage(path).read()  # no TinyDB needed to read a file
    check_schema(path, data)
    if data is not None:
        check(path, data, checker)
    return data or {}


def stamp_of(st: os.stat_result) -> tuple[int, int]:
    """What identifies one written file (modification time and size): every write replaces
    the file, so a new one has a new stamp."""
    return (st.st_mtime_ns, st.st_size)


def stat_key(path: Path) -> StatKey:
    """The stamp of the file at ``path``, None when there is none."""
    try:
        return stamp_of(path.stat())
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Catalog:
    """The corpus without abstracts: what a first frame needs, loaded in one small read."""

    keys: Sequence[str]  # TinyDB document ids, the join key with abstracts.json
    docs: Sequence[dict[str, Any]]  # paper documents in first-seen order, no "abstract"
    digests: list[dict[str, Any]]
    revision: str
    inline_abstracts: dict[str, str] = field(default_factory=dict)  # schema 1 files
    segments: list[str] | None = None  # abstract files in use; None: every NNNN.json (legacy)
    legacy_ids: dict[str, str] = field(default_factory=dict)  # schema < 3: stored id -> key

    @property
    def legacy(self) -> bool:
        """Whether the corpus on disk still has the ids of schema 2 (rewritten on a write)."""
        return bool(self.legacy_ids)


def catalog_from(data: Mapping[str, Any]) -> Catalog:
    """The catalog of a parsed and checked ``corpus.json`` (``data`` is consumed)."""
    papers: Mapping[str, dict[str, Any]] = data.get("papers", {})
    inline = {k: str(d.pop("abstract")) for k, d in papers.items() if "abstract" in d}
    docs = list(papers.values())
    legacy = {}
    if (schema_of(data) or 1) < SCHEMA_VERSION and docs:
        # hashing every title: ~60 ms per 10,000 papers, until the first write migrates
        legacy = legacy_keys(docs)
        docs = [dict(d, id=legacy[str(d["id"])]) for d in docs]
    segments = data.get("meta", {}).get("1", {}).get("segments")
    return Catalog(
        keys=list(papers),
        docs=docs,
        digests=list(data.get("digests", {}).values()),
        revision=str(data.get("meta", {}).get("1", {}).get("revision", "")),
        inline_abstracts=inline,
        legacy_ids=legacy,
        segments=list(segments) if segments is not None else None,
    )


def read_catalog(path: Path) -> Catalog:
    """The catalog in ``path`` (empty when there is no file), schema and shape checked."""
    return catalog_from(read_checked(path, check_corpus))
