"""A write-ahead journal that makes a change to several state shards all or nothing.

Each shard is replaced atomically, but a change over several (mark all read, its undo, a
restore) replaces them one after another: a kill between two would leave half of it. So such a
change first writes the shards' full new contents to ``journal.json`` beside them (temp file,
fsync, rename: the commit point), then replaces the shards, then removes the journal. Whoever
holds the state lock next finds a journal only if the change was cut short, and rolls it forward
before anything else; a reader without the lock reads the journal's shards in place of those on
disk. Either way the change is seen whole once the journal is in, and not at all before.

The journal holds whole shards, not field changes: rolling it forward twice gives the same
files. Every shard write rolls a journal forward first and stops if it cannot remove it, so a
journal never lands over a later change. One that does not parse, or has the wrong shape, is
never applied and never deleted here: it is a one-line error naming it, and ``doctor --repair``
sets it aside.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import orjson

from digestreader.store.files import (
    StorageError,
    atomic_write_bytes,
    fsync_dir,
    read_json_file,
)
from digestreader.store.shapes import ShapeError, check, check_state

JOURNAL_NAME = "journal.json"
JOURNAL_VERSION = 1

Shards = dict[str, dict[str, Any]]  # shard file name -> its whole new content


class Journal:
    """The journal of the shard folder ``folder``, whose shard files are named ``names``."""

    def __init__(self, folder: Path, names: Collection[str]) -> None:
        self.folder = folder
        self.path = folder / JOURNAL_NAME
        self.names = frozenset(names)

    def pending(self) -> Shards:
        """The shards a cut-short change still has to write ({} when there is no journal);
        a one-line StorageError naming the journal when it is unreadable or badly shaped."""
        data = read_json_file(self.path)
        if data is None:
            return {}
        shards = data.get("shards")
        if data.get("journal") != JOURNAL_VERSION or type(shards) is not dict:
            raise self._bad("not a journal of this version")
        for name, content in shards.items():
            if name not in self.names or type(content) is not dict:
                raise self._bad(f"no shard {name[:20]!r} to write")
            check(self.path, content, check_state)
        return shards

    def _bad(self, what: str) -> ShapeError:
        return ShapeError(
            f"{self.path}: not a digestreader journal ({what}); it was left untouched - "
            "see `digestreader doctor`"
        )

    def commit(self, shards: Mapping[str, Mapping[str, Any]]) -> None:
        """Write ``shards`` (file name -> whole content) all or nothing (call under the lock,
        after :meth:`roll_forward`). An error after the journal is in leaves it for the next
        lock holder, who completes the change."""
        record = {"journal": JOURNAL_VERSION, "shards": shards}
        atomic_write_bytes(self.path, orjson.dumps(record))
        self._apply(shards)

    def roll_forward(self) -> bool:
        """Complete a change a kill or an error cut short (call under the lock); whether
        there was one. A bad journal raises and stays as it is."""
        if not self.path.exists():  # one stat: this runs before every bookmark
            return False
        self._apply(self.pending())
        return True

    def _apply(self, shards: Mapping[str, Mapping[str, Any]]) -> None:
        for name, content in shards.items():
            atomic_write_bytes(self.folder / name, orjson.dumps(content))
        try:
            os.unlink(self.path)
        except OSError as err:
            # Left in place it would be rolled forward again over later changes: refuse to go on.
            raise StorageError(f"{self.path}: cannot remove ({err.strerror or err})") from None
        fsync_dir(self.folder)
