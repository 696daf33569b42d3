"""The id table: every paper key, sorted, with its place in the catalog, beside ``corpus.json``.

A cold ``mark ID`` or ``show ID`` at 50k papers spent 0.17 s parsing the 14 MB catalog to resolve
one prefix. ``ids.bin`` holds what resolving, handles and one paper's lookup need: the sorted
keys (16 bytes each), each key's position in the catalog (its abstract segment) and the byte span
of its document inside ``corpus.json``. It is a cache stamped with the ``corpus.json`` it describes:
its mtime and size, and its revision, which must appear in that file's first bytes (where the
meta table is written). Any other corpus file makes it stale, and a stale or unreadable table is
rebuilt from the (checked) catalog, never trusted; a document read through a span must carry its
key, and is shape checked like every document read (a wrong one is the same one-line error
naming ``corpus.json``). (Not the inode: a copied library keeps its table.)

An import writes it right after ``corpus.json``, under the same lock: a kill between the two
leaves the old table beside the new catalog, which the stamp and revision then call stale.

Layout: one JSON header line (format, stamp, revision, count, the abstract segments in use and
their size),
then the keys, then the positions (uint32), the span starts (uint64) and the span lengths
(uint32), little-endian. Format 3 stores the spans in catalog order (the reader's first frame
takes them as they are: putting format 2's key-ordered spans in catalog order was a Python loop
of 15-25 ms at 50k papers); a format 2 table is still read, its spans reordered once.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import orjson

from digestreader.models import KEY_LENGTH
from digestreader.store.catalog import stat_key
from digestreader.store.documents import doc_id_of
from digestreader.store.files import atomic_write_bytes
from digestreader.store.shapes import check, check_corpus

IDS_FILE = "ids.bin"
FORMAT = 3  # 2: the segment names in the header; 3: the spans in catalog order
READ_FORMATS = (2, FORMAT)
Stamp = tuple[int, int]
HEAD_BYTES = 4096  # the meta table, with the revision, comes first in corpus.json
Span = tuple[int, int]  # (start, length) in corpus.json; length 0: not known


def corpus_stamp(path: Path) -> Stamp | None:
    """What identifies one written ``corpus.json`` (with the revision in its head)."""
    return stat_key(path)


class SortedKeys(Sequence[str]):
    """The keys as a sorted sequence of str, decoded on access (bisect touches ~17 of them)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    @property
    def raw(self) -> bytes:
        """The keys back to back, ``KEY_LENGTH`` ASCII bytes each, as the file holds them."""
        return self._raw

    def __len__(self) -> int:
        return len(self._raw) // KEY_LENGTH

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start = index * KEY_LENGTH
        return self._raw[start : start + KEY_LENGTH].decode("ascii")


def _uints(code: str, values: Iterable[int]) -> array[int]:
    out = array(code, values)
    if sys.byteorder != "little":
        out.byteswap()
    return out


@dataclass(frozen=True)
class IdTable:
    """Sorted keys with their catalog positions (by row: the keys' order), and the document
    spans in ``corpus.json`` (by catalog position: ``starts[positions[row]]`` is row's), for one
    corpus file. ``layout`` is the format it was read in (an older one is worth rewriting)."""

    stamp: Stamp
    revision: str
    segments: tuple[str, ...]  # the abstract files of that catalog, in order
    segment_papers: int  # papers per segment file when it was written
    keys: SortedKeys
    positions: array[int]
    starts: array[int]
    lengths: array[int]
    layout: int = field(default=FORMAT, compare=False)

    @classmethod
    def build(
        cls,
        stamp: Stamp,
        revision: str,
        segments: Sequence[str],
        segment_papers: int,
        ids: Sequence[str],
        spans: Sequence[Span],
    ) -> IdTable:
        """The table of the papers ``ids`` (catalog order), their documents at ``spans``."""
        order = sorted(range(len(ids)), key=ids.__getitem__)
        raw = "".join(ids[i] for i in order).encode("ascii")
        return cls(
            stamp,
            revision,
            tuple(segments),
            segment_papers,
            SortedKeys(raw),
            _uints("I", order),
            _uints("Q", (start for start, _ in spans)),
            _uints("I", (length for _, length in spans)),
        )

    def find(self, key: str) -> int | None:
        """The row of ``key`` in the sorted table, None when it is not there."""
        from bisect import bisect_left

        at = bisect_left(self.keys, key)
        return at if at < len(self.keys) and self.keys[at] == key else None

    def to_bytes(self) -> bytes:
        header = {
            "format": FORMAT,
            "stamp": list(self.stamp),
            "revision": self.revision,
            "count": len(self.keys),
            "segments": list(self.segments),
            "segment_papers": self.segment_papers,
        }
        return b"".join(
            [
                orjson.dumps(header) + b"\n",
                self.keys.raw,
                self.positions.tobytes(),
                self.starts.tobytes(),
                self.lengths.tobytes(),
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> IdTable | None:
        """The table in ``data``, None when it is not one this version wrote."""
        newline = data.find(b"\n")
        if newline < 0:
            return None
        # A view, not copies: each part is copied once, into its array (a fresh process paid
        # 2.4-3.8 ms for the 1.6 MB table of 50k papers, half of it in copies of copies).
        line, body = data[:newline], memoryview(data)[newline + 1 :]
        try:
            header = orjson.loads(line)
            count = int(header["count"])
            stamp = tuple(int(v) for v in header["stamp"])
            revision = str(header["revision"])
            fmt = header["format"]
            segments = tuple(str(name) for name in header["segments"])
            segment_papers = int(header["segment_papers"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        if fmt not in READ_FORMATS or len(stamp) != 2 or len(body) != count * (KEY_LENGTH + 16):
            return None
        keys_raw = bytes(body[: count * KEY_LENGTH])
        if not revision or segment_papers < 1 or not keys_raw.isascii():
            return None
        parts, at = [], count * KEY_LENGTH
        for code, size in (("I", 4), ("Q", 8), ("I", 4)):
            part = array(code)
            part.frombytes(body[at : at + count * size])
            if sys.byteorder != "little":
                part.byteswap()
            parts.append(part)
            at += count * size
        positions, starts, lengths = parts
        if fmt == 2:  # spans by row: put them in catalog order (a position out of range: None)
            starts, lengths = array("Q", bytes(8 * count)), array("I", bytes(4 * count))
            try:
                for row, position in enumerate(positions):
                    starts[position], lengths[position] = parts[1][row], parts[2][row]
            except IndexError:
                return None
        keys = SortedKeys(keys_raw)
        stamp_ = (stamp[0], stamp[1])
        return cls(
            stamp_, revision, segments, segment_papers, keys, positions, starts, lengths, fmt
        )


def read_table(path: Path, corpus: Path, stamp: Stamp) -> IdTable | None:
    """The table at ``path`` if it describes ``corpus`` (whose stamp is ``stamp``), else None."""
    try:
        table = IdTable.from_bytes(path.read_bytes())
        if table is None or table.stamp != stamp:
            return None
        with corpus.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return None
    wanted = b'"revision":' + orjson.dumps(table.revision)
    return table if wanted in head else None


def read_doc(corpus: Path, table: IdTable, row: int) -> dict[str, Any] | None:
    """The document at ``row`` of ``table``, read alone from ``corpus`` and shape checked (a
    ShapeError naming ``corpus`` when it has the wrong shape); None when its span is unknown or
    does not hold it (then the whole catalog must be read)."""
    position = table.positions[row]
    if position >= len(table.starts):
        return None
    start, length = table.starts[position], table.lengths[position]
    if not length:
        return None
    try:
        with corpus.open("rb") as file:
            file.seek(start)
            doc = orjson.loads(file.read(length))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("id") != table.keys[row]:
        return None
    check(corpus, {"papers": {str(doc_id_of(table.keys[row])): doc}}, check_corpus)
    return doc


def write_table(path: Path, table: IdTable) -> bool:
    """Save ``table`` atomically; False when it cannot be written (a cache: only time lost)."""
    try:
        atomic_write_bytes(path, table.to_bytes())
    except OSError:
        return False
    return True


def serialize_corpus(
    meta: Mapping[str, Any], digests: Mapping[str, Any], papers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Span]]:
    """``corpus.json``'s three tables, the papers already serialized paper by paper (an
    ``orjson.Fragment``: the storage writes the same bytes as for the plain tables), and the span
    of each paper document in the file, in ``papers`` order."""
    head = orjson.dumps({"meta": meta, "digests": digests})
    at = len(head) - 1 + len(b',"papers":{')  # where the papers' object starts, plus its brace
    # One growing buffer: a list of 100k small bytes objects held 220 MB at 50k papers.
    out, spans = bytearray(b"{"), []
    for i, (key, doc) in enumerate(papers.items()):
        name = (b"," if i else b"") + orjson.dumps(key) + b":"
        body = orjson.dumps(doc)
        spans.append((at + len(name), len(body)))
        out += name
        out += body
        at += len(name) + len(body)
    out += b"}"
    tables = {"meta": meta, "digests": digests, "papers": orjson.Fragment(bytes(out))}
    return tables, spans


def find_spans(raw: bytes, docs: Sequence[Mapping[str, Any]]) -> list[Span]:
    """The spans of ``docs`` (in file order) in a ``corpus.json`` written by any version: each
    is looked for after the previous one; (0, 0) where a document is not found as serialized."""
    spans, cursor = [], 0
    for doc in docs:
        body = orjson.dumps(doc)
        at = raw.find(body, cursor) if cursor >= 0 else -1
        if at < 0:
            spans.append((0, 0))
            cursor = -1  # written some other way: searching on would rescan the file per paper
        else:
            spans.append((at, len(body)))
            cursor = at + len(body)
    return spans
