"""The user's marks, reads and notes on disk, spread over shard files by paper id.

With one state file, "mark all read" at 50k papers made it 4 MB, and every later bookmark
rewrote all of it (174 ms, 9% of the library's bytes). Here a paper's state lives in shard
``doc_id % STATE_SHARDS`` under ``state/``, so a bookmark rewrites one shard: 1/64 of the state,
whatever the library's size. ``state.json`` keeps the schema stamp and the reader's session.
Libraries written before sharding kept states in ``state.json``'s "state" table; the first write
moves them into the shards. Callers hold the state lock (``lock_path``) for every write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from digestreader.models import UserState
from digestreader.store.corpus import SCHEMA_VERSION, read_checked
from digestreader.store.documents import doc_id_of
from digestreader.store.files import StorageError, open_db
from digestreader.store.shapes import check_state

STATE_FILE = "state.json"
STATE_DIR = "state"
STATE_SHARDS = 64
LEGACY_TABLE = "state"


class StateStore:
    """Reads and writes the sharded user state and the session."""

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_FILE
        self.shard_dir = root / STATE_DIR

    @property
    def lock_path(self) -> Path:
        """The one lock that guards the session file and every shard."""
        return self.path

    @property
    def guards(self) -> tuple[Path, ...]:
        """What the state lock guards besides state.json (its leftovers are cleaned in it)."""
        return (self.shard_dir,)

    def shard_path(self, shard: int) -> Path:
        return self.shard_dir / f"{shard:02d}.json"

    def shard_of(self, pid: str) -> int:
        return doc_id_of(pid) % STATE_SHARDS

    # -- reading -------------------------------------------------------------------------------

    def _docs(self, path: Path) -> Mapping[str, Mapping[str, Any]]:
        table: Mapping[str, Mapping[str, Any]] = read_checked(path, check_state).get("state", {})
        return table

    def states(self, problems: list[str] | None = None) -> dict[str, UserState]:
        """The state of every paper that has one, by paper id.

        An unreadable file raises, unless ``problems`` is given: then its one-line error is
        added there and the other files are still read (the reader opens without them)."""
        out: dict[str, UserState] = {}
        paths = [self.path]
        if self.shard_dir.is_dir():
            paths += [self.shard_path(shard) for shard in range(STATE_SHARDS)]
        for path in paths:
            try:
                docs = self._docs(path)
            except StorageError as err:
                if problems is None:
                    raise
                problems.append(str(err))
                continue
            out.update((d["id"], UserState.from_dict(dict(d))) for d in docs.values())
        return out

    def session(self) -> dict[str, Any]:
        return dict(read_checked(self.path, check_state).get("session", {}).get("1", {}))

    # -- writing (the caller holds the lock) ---------------------------------------------------

    def update(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, UserState]:
        """Merge field changes into each paper's state; returns the new states of those papers.

        Only the shards holding these papers are rewritten.
        """
        # One read of state.json serves the legacy move and the schema stamp: this runs on
        # every bookmark.
        state_file = read_checked(self.path, check_state)
        if state_file.get(LEGACY_TABLE):
            self._move_legacy_states(state_file[LEGACY_TABLE])
        merged = self._upsert(changes)
        if not state_file.get("meta"):
            self._stamp()
        return {pid: UserState.from_dict(doc) for pid, doc in merged.items()}

    def _upsert(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """Merge ``changes`` (paper id -> fields) into their shards, one write per shard."""
        by_shard: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        for pid, fields in changes.items():
            by_shard[self.shard_of(pid)][doc_id_of(pid)] = {**fields, "id": pid}
        self.shard_dir.mkdir(mode=0o700, exist_ok=True)
        merged: dict[str, dict[str, Any]] = {}
        for shard, docs in by_shard.items():
            path = self.shard_path(shard)
            read_checked(
                path, check_state
            )  # refuses a corrupt or newer shard before TinyDB touches it
            written = open_db(path).table("state").upsert_many(docs)  # type: ignore[attr-defined]
            merged.update((str(doc["id"]), doc) for doc in written.values())
        return merged

    def save_session(self, session: Mapping[str, Any]) -> None:
        stamped = bool(read_checked(self.path, check_state).get("meta"))
        open_db(self.path).table("session").replace_all({1: dict(session)})  # type: ignore[attr-defined]
        if not stamped:
            self._stamp()

    def _stamp(self) -> None:
        open_db(self.path).table("meta").upsert_many({1: {"schema": SCHEMA_VERSION}})  # type: ignore[attr-defined]

    def _move_legacy_states(self, legacy: Mapping[str, Mapping[str, Any]]) -> None:
        """States from before sharding move into the shards, then leave state.json."""
        self._upsert({str(doc["id"]): doc for doc in legacy.values()})
        # Only once every shard holds them does the old table go: a crash before this line
        # leaves the same states in both places, which read back identically.
        open_db(self.path).drop_table(LEGACY_TABLE)
