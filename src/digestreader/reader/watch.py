"""Notice changes another process made to a library folder: cheap, by file sizes and times.

The reader polls this about once a second; a poll is a few dozen ``stat`` calls and reads no
file. What changed is then re-read through the library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from digestreader.library import Library

Signature = tuple[tuple[str, int, int], ...]


def _signature(paths: list[Path]) -> Signature:
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue  # not there (yet): a missing file is part of the signature by absence
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _shards(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if e.name.endswith(".json"))
    except OSError:
        return []


@dataclass
class Changes:
    """What a poll found changed since the last one: the corpus, states, and the numbers of
    the state shards that changed (None: some other state file, such as the journal)."""

    corpus: bool = False
    states: bool = False
    shards: frozenset[int] | None = None


def _changed_shards(before: Signature, after: Signature) -> frozenset[int] | None:
    names = {name for name, _, _ in set(before) ^ set(after)}
    if not all(len(n) == 7 and n[:2].isdigit() and n.endswith(".json") for n in names):
        return None
    return frozenset(int(n[:2]) for n in names)


class LibraryWatch:
    """Remembers the corpus file's and the state shards' signatures; :meth:`poll` says which
    changed since the previous poll (or since construction)."""

    def __init__(self, library: Library) -> None:
        self.corpus_path = library.corpus_path
        self.shard_dir = library.state_store.shard_dir
        self._corpus = _signature([self.corpus_path])
        self._states = _signature(_shards(self.shard_dir))

    def poll(self) -> Changes:
        """Compare with the last poll; only ``stat`` calls, no reads."""
        corpus = _signature([self.corpus_path])
        states = _signature(_shards(self.shard_dir))
        changes = Changes(
            corpus != self._corpus, states != self._states, _changed_shards(self._states, states)
        )
        self._corpus, self._states = corpus, states
        return changes
