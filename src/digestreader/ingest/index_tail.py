"""The saved index's tail: what imports added since ``index.npz`` was written.

Extending the 50k-paper index by one daily page merged every posting and rewrote 31 MB (0.45 s
of a 1 s budget). An import now writes only ``index-tail.npz``: the postings of the papers it
added (and of abstracts it filled in), stamped with the revision of the ``index.npz`` it extends
and the corpus revision it brings the index to. A reader merges the two when it loads them; the
next import extends the tail. Once the tail covers more than 1/``COMPACT_RATIO`` of the papers of
the index it extends, an import merges it in and saves ``index.npz`` whole again.

Like the index, a cache: a tail that is unreadable or describes another index or corpus is
ignored (the index is built again), never trusted.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digestreader.search.build import merge_postings
from digestreader.search.index import FIELDS, FieldIndex
from digestreader.store.files import atomic_write_bytes

TAIL_FILE = "index-tail.npz"
TAIL_FORMAT = 1
COMPACT_RATIO = 8


@dataclass(frozen=True)
class Tail:
    """Postings of papers ``base_size`` to ``size`` (and filled abstracts) over the index saved
    for corpus revision ``base``, bringing it to corpus revision ``revision``."""

    base: str
    base_size: int
    revision: str
    size: int
    fields: dict[str, FieldIndex]

    def extended(self, revision: str, size: int, fields: dict[str, FieldIndex]) -> Tail:
        """This tail and ``fields`` (the next import's), for corpus ``revision`` of ``size``."""
        merged = {
            name: FieldIndex(*merge_postings(self.fields[name].csr(), fields[name].csr()))
            for name in FIELDS
        }
        return Tail(self.base, self.base_size, revision, size, merged)

    def too_long(self) -> bool:
        """Whether it is time to merge the tail into ``index.npz``."""
        return (self.size - self.base_size) * COMPACT_RATIO > self.base_size


def tail_path(index: Path) -> Path:
    """The tail beside the index file ``index``."""
    return index.with_name(TAIL_FILE)


def write_arrays(
    path: Path, arrays: dict[str, np.ndarray], fields: Mapping[str, FieldIndex]
) -> None:
    """Write ``arrays`` and every field's vocabulary (one newline-joined UTF-8 text), offsets
    and postings as one ``.npz``, atomically (the caller holds the corpus lock): the layout
    ``index.npz`` and its tail share."""
    for name in FIELDS:
        field = fields[name]
        arrays[f"{name}.vocabulary"] = np.frombuffer(
            "\n".join(field.vocabulary).encode("utf-8"), np.uint8
        )
        arrays[f"{name}.offsets"] = field.offsets
        arrays[f"{name}.postings"] = field.postings
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def save_tail(tail: Tail, path: Path) -> None:
    """Write ``tail`` atomically (the caller holds the corpus lock)."""
    arrays: dict[str, np.ndarray] = {
        "meta": np.array([TAIL_FORMAT, tail.base_size, tail.size], np.int64),
        "base": np.frombuffer(tail.base.encode("ascii"), np.uint8),
        "revision": np.frombuffer(tail.revision.encode("ascii"), np.uint8),
    }
    write_arrays(path, arrays, tail.fields)


def read_tail(path: Path) -> Tail | None:
    """The tail at ``path``; None when there is none or it cannot be used (then the index is
    built again: a cache)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            fmt, base_size, size = (int(v) for v in saved["meta"])
            if fmt != TAIL_FORMAT or not 0 <= base_size <= size:
                return None
            fields = {}
            for name in FIELDS:
                text = saved[f"{name}.vocabulary"].tobytes().decode("utf-8")
                offsets = saved[f"{name}.offsets"]
                postings = saved[f"{name}.postings"]
                words = text.split("\n") if text else []
                if len(offsets) != len(words) + 1 or int(offsets[-1]) != len(postings):
                    return None
                if len(postings) and (postings.min() < 0 or postings.max() >= size):
                    return None
                fields[name] = FieldIndex(words, offsets.astype(np.int64), postings)
            base = saved["base"].tobytes().decode("ascii")
            revision = saved["revision"].tobytes().decode("ascii")
    except (OSError, EOFError, KeyError, ValueError, TypeError, zipfile.BadZipFile):
        return None
    return Tail(base, base_size, revision, size, fields)


def index_head(path: Path) -> tuple[str, int] | None:
    """The corpus revision and size ``index.npz`` at ``path`` was saved for, its postings
    unread; None when it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            size = int(saved["meta"][1])
            return saved["revision"].tobytes().decode("ascii"), size
    except (OSError, EOFError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile):
        return None
