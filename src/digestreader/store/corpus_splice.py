"""``corpus.json`` rewritten from its own bytes: a daily page touches 300 of 50k documents.

A full write re-serialized every paper (0.7 s at 50k papers, a 2.3 s import of one page). Here
the old file is the source: its documents are copied by their byte spans (from the id table),
the documents that changed and the new ones are serialized, and the head (meta, digests) is
written fresh. The result is byte for byte what :func:`idtable.serialize_corpus` writes for the
same data, so readers, the lazy catalog and the id table see no difference.

It relies on the id table describing the file exactly, so :meth:`SplicedCorpus.open` checks,
before anything is trusted, that the table is current (stamp and revision), that the file is laid
out as :func:`serialize_corpus` writes it (head, then every document in catalog order, each named
by its key and starting with its own id, back to back up to the closing braces); anything else
is None, and the caller does today's full read-modify-write. Then every document is parsed and
shape checked, as the full read checks them: a wrong one, touched or not, is a one-line
ShapeError before anything is written (the splice would copy it verbatim).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from digestreader.models import KEY_LENGTH, arxiv_base
from digestreader.store.catalog import SCHEMA_VERSION, check_schema, schema_of
from digestreader.store.idtable import IdTable, SortedKeys, corpus_stamp
from digestreader.store.lazy_catalog import LazyDocs
from digestreader.store.shapes import check, check_corpus

PAPERS = b',"papers":{'
_ID_AT = b'{"id":"'
_ARXIV = re.compile(rb'"arxiv_id":"((?:[^"\\]|\\.)*)"')
_POWERS = np.array([10**k for k in range(1, 20)], np.uint64)
Ints = npt.NDArray[np.int64]


def _le(values: npt.NDArray[Any], code: str) -> array[int]:
    """A numpy vector as the id table's little-endian ``array`` of type ``code``."""
    out = array(code)
    dtype = {"I": "<u4", "Q": "<u8"}[code]
    out.frombytes(np.ascontiguousarray(values, dtype).tobytes())
    return out


@dataclass
class SplicedCorpus:
    """One ``corpus.json`` and its current id table, checked to describe it byte for byte."""

    path: Path
    raw: bytes
    table: IdTable
    head: dict[str, Any]  # meta and digests, schema and shape checked
    body_at: int  # where the first document's name starts
    row_of: Ints  # the table row of each catalog position
    starts: Ints  # each document's span, in catalog order
    lengths: Ints
    ids: npt.NDArray[np.uint64]  # each document's key as the number it is stored under

    @classmethod
    def open(cls, path: Path, table: IdTable | None) -> SplicedCorpus | None:
        """``path`` with ``table`` if the table describes it exactly, else None."""
        if table is None or not len(table.keys):
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        papers_at = raw.find(PAPERS)
        if corpus_stamp(path) != table.stamp or papers_at < 0 or not raw.endswith(b"}}"):
            return None
        try:
            head = orjson.loads(memoryview(raw)[:papers_at].tobytes() + b"}")
        except orjson.JSONDecodeError:
            return None
        if not isinstance(head, dict) or set(head) != {"meta", "digests"}:
            return None
        check_schema(path, head)
        check(path, head, check_corpus)
        meta = head["meta"].get("1", {})
        if schema_of(head) != SCHEMA_VERSION or meta.get("revision") != table.revision:
            return None
        if meta.get("segments") != list(table.segments):
            return None
        n = len(table.keys)
        row_of = np.empty(n, np.int64)
        positions = np.frombuffer(table.positions, np.uint32).astype(np.int64)
        row_of[positions] = np.arange(n)
        if np.any(np.sort(positions) != np.arange(n)):
            return None
        starts = np.frombuffer(table.starts, np.uint64).astype(np.int64)  # in catalog order
        lengths = np.frombuffer(table.lengths, np.uint32).astype(np.int64)
        keys = np.frombuffer(table.keys.raw, np.uint8).reshape(n, KEY_LENGTH)[row_of]
        ids = np.frombuffer(bytes.fromhex(keys.tobytes().decode("ascii")), ">u8").astype(np.uint64)
        names = _name_lengths(ids)
        body_at = papers_at + len(PAPERS)
        ends = starts + lengths
        expected = np.concatenate(([body_at], ends[:-1])) + names
        expected[1:] += 1  # the comma before every name but the first
        if np.any(lengths <= len(_ID_AT)) or np.any(starts != expected):
            return None
        if int(ends[-1]) != len(raw) - 2:
            return None
        # Each span starts with its own id: the whole file is where the table says it is.
        buffer = np.frombuffer(raw, np.uint8)
        width = len(_ID_AT) + KEY_LENGTH
        seen = buffer[starts[:, None] + np.arange(width)]
        wanted = np.concatenate(
            (np.broadcast_to(np.frombuffer(_ID_AT, np.uint8), (n, len(_ID_AT))), keys), axis=1
        )
        if not np.array_equal(seen, wanted):
            return None
        # Untouched documents are copied verbatim: check every one before anything is written,
        # as a whole read does (a wrong one is a ShapeError and the file is left alone).
        LazyDocs(path, raw, starts.tolist(), lengths.tolist()).load()
        return cls(path, raw, table, head, body_at, row_of, starts, lengths, ids)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def revision(self) -> str:
        """The revision of the corpus as read (the one the splice replaces)."""
        return str(self.head["meta"]["1"]["revision"])

    @property
    def segments(self) -> list[str]:
        """The abstract segment file names the corpus lists, in order (segment ``i`` holds
        the abstracts of catalog positions ``i * segment_papers`` onwards)."""
        return list(self.head["meta"]["1"].get("segments", []))

    def digests(self) -> dict[int, dict[str, Any]]:
        """The digests table as the merge wants it (numbered from 1, in file order)."""
        return {i: dict(d) for i, d in enumerate(self.head["digests"].values(), start=1)}

    def position(self, key: int) -> int | None:
        """The catalog position of the paper stored under ``key``, None when it is not known."""
        row = self.table.find(f"{key:0{KEY_LENGTH}x}")
        return int(self.table.positions[row]) if row is not None else None

    def doc_bytes(self, position: int) -> bytes:
        """The serialized document at catalog ``position``, as the file holds it (the splice
        copies it unless it changed)."""
        start = int(self.starts[position])
        return self.raw[start : start + int(self.lengths[position])]

    def arxiv_keys(self) -> dict[str, int]:
        """Document ids by arXiv id, as :func:`metadata.arxiv_keys` over every paper (the
        later paper wins), found in the bytes (a quoted key cannot occur inside a string)."""
        found: dict[str, int] = {}
        matches = list(_ARXIV.finditer(self.raw, self.body_at))
        if not matches:
            return found
        at = np.fromiter((m.start() for m in matches), np.int64, len(matches))
        owners = np.searchsorted(self.starts, at, side="right") - 1
        for match, owner in zip(matches, owners.tolist(), strict=True):
            value = orjson.loads(b'"' + match.group(1) + b'"')
            if value:
                found[arxiv_base(str(value))] = int(self.ids[owner])
        return found

    def splice(
        self,
        meta: Mapping[str, Any],
        digests: Mapping[str, Any],
        changed: Mapping[int, Mapping[str, Any]],
        added: Mapping[str, Mapping[str, Any]],
        segments: list[str],
    ) -> tuple[dict[str, Any], IdTable]:
        """The new file's tables: documents at the positions ``changed`` re-serialized,
        ``added`` (key: document) appended, ``meta`` and ``digests`` fresh, the papers already
        serialized (an ``orjson.Fragment``, as :func:`serialize_corpus` gives them, for the
        same storage write); and its id table (to be stamped once written)."""
        head = orjson.dumps({"meta": meta, "digests": digests})
        # Where the papers object will start in the written file: after the head's tables.
        at = len(head) - 1 + len(PAPERS) - 1
        out = bytearray(b"{")
        shift = np.zeros(len(self) + 1, np.int64)  # how far each old document moves
        shift[0] = at + len(out) - self.body_at
        new_lengths = self.lengths.copy()
        cursor = self.body_at
        for position in sorted(changed):
            body = orjson.dumps(changed[position])
            start, length = int(self.starts[position]), int(self.lengths[position])
            out += memoryview(self.raw)[cursor:start]
            out += body
            cursor = start + length
            shift[position + 1] += len(body) - length
            new_lengths[position] = len(body)
        out += memoryview(self.raw)[cursor : len(self.raw) - 2]
        new_starts = self.starts + np.cumsum(shift)[:-1]
        added_ids, added_starts, added_lengths = [], [], []
        for key, doc in added.items():
            name = b"," + orjson.dumps(key) + b":"
            body = orjson.dumps(doc)
            added_ids.append(str(doc["id"]))
            added_starts.append(at + len(out) + len(name))
            added_lengths.append(len(body))
            out += name
            out += body
        out += b"}"
        tables = {"meta": meta, "digests": digests, "papers": orjson.Fragment(bytes(out))}
        del out
        table = self._table(
            segments, new_starts, new_lengths, added_ids, added_starts, added_lengths
        )
        return tables, table

    def _table(
        self,
        segments: list[str],
        starts: Ints,
        lengths: Ints,
        added_ids: list[str],
        added_starts: list[int],
        added_lengths: list[int],
    ) -> IdTable:
        """The id table extended by the appended papers (rows merged in key order)."""
        n = len(self)
        old_keys = np.frombuffer(self.table.keys.raw, f"S{KEY_LENGTH}")
        new_keys = np.array([k.encode("ascii") for k in added_ids], f"S{KEY_LENGTH}")
        keys = np.concatenate((old_keys, new_keys))
        positions = np.concatenate(
            (
                np.frombuffer(self.table.positions, np.uint32).astype(np.int64),
                np.arange(n, n + len(added_ids), dtype=np.int64),
            )
        )
        all_starts = np.concatenate((starts, np.array(added_starts, np.int64)))
        all_lengths = np.concatenate((lengths, np.array(added_lengths, np.int64)))
        order = np.argsort(keys, kind="stable")
        return IdTable(
            self.table.stamp,
            self.table.revision,
            tuple(segments),
            self.table.segment_papers,
            SortedKeys(keys[order].tobytes()),
            _le(positions[order], "I"),
            _le(all_starts, "Q"),  # spans stay in catalog order
            _le(all_lengths, "I"),
        )


def _name_lengths(ids: npt.NDArray[np.uint64]) -> Ints:
    """Bytes of ``"<id>":`` for each id (its decimal digits, two quotes and a colon)."""
    digits = np.searchsorted(_POWERS, ids, side="right") + 1
    return digits.astype(np.int64) + 3
