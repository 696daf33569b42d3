"""The user's marks, reads and notes on disk, spread over shard files by paper key.

With one state file, "mark all read" at 50k papers made it 4 MB, and every later bookmark
rewrote all of it (174 ms, 9% of the library's bytes). Here a paper's state lives in shard
``doc_id % STATE_SHARDS`` under ``userstate/``, so a bookmark rewrites one shard: 1/64 of the
state, whatever the library's size. ``state.json`` keeps the schema stamp and the reader's session.

Older layouts: schema 1 kept states in ``state.json``'s "state" table, schema 2 in shards under
``state/`` chosen by the 8-digit id. A new key puts a state in another shard, so a migration
writes the whole new folder, then commits by rewriting ``state.json`` (one atomic rename), then
deletes ``state/``: a crash at any point leaves one complete layout that ``state.json`` names.
Callers hold the state lock (``lock_path``) for every write. A write to several shards goes
through a journal (:mod:`digestreader.store.journal`): all of it lands, or none.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from digestreader.models import UserState
from digestreader.store.corpus import SCHEMA_VERSION, read_checked, schema_of
from digestreader.store.documents import doc_id_of
from digestreader.store.files import StorageError, fsync_dir, open_db
from digestreader.store.journal import Journal, Shards
from digestreader.store.shapes import check_state

STATE_FILE = "state.json"
STATE_DIR = "userstate"
LEGACY_DIR = "state"  # schema 2
STATE_SHARDS = 64
LEGACY_TABLE = "state"  # schema 1

StateDocs = dict[str, dict[str, Any]]
Changes = Mapping[str, Mapping[str, Any]]


def shard_of(pid: str) -> int:
    """The number of the shard that holds paper key ``pid``'s state."""
    return doc_id_of(pid) % STATE_SHARDS


class StateStore:
    """Reads and writes the sharded user state and the session."""

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_FILE
        self.shard_dir = root / STATE_DIR
        self.legacy_dir = root / LEGACY_DIR
        self.journal = Journal(self.shard_dir, [f"{s:02d}.json" for s in range(STATE_SHARDS)])

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
        return shard_of(pid)

    # -- reading -------------------------------------------------------------------------------

    def _docs(self, path: Path, ahead: Shards) -> Mapping[str, Mapping[str, Any]]:
        data = ahead[path.name] if path.name in ahead else read_checked(path, check_state)
        table: Mapping[str, Mapping[str, Any]] = data.get("state", {})
        return table

    def _ahead(self, problems: list[str] | None) -> Shards:
        """What a cut-short multi-shard change will write: read in place of those shards, so
        it is seen whole before the next lock holder completes it."""
        try:
            return self.journal.pending()
        except StorageError as err:
            if problems is None:
                raise
            problems.append(str(err))
            return {}

    def is_legacy(self, state_file: Mapping[str, Any] | None = None) -> bool:
        """Whether the states on disk are in a layout older than this schema's.

        The stamp decides when there is one: after a migration's commit, a ``state/`` folder
        that a crash left behind is only litter. Without one, the current folder wins: it is
        never written from an older layout without the commit that stamps it."""
        data = read_checked(self.path, check_state) if state_file is None else state_file
        schema = schema_of(data)
        if schema is not None:
            return schema < SCHEMA_VERSION
        if bool(data.get(LEGACY_TABLE)):
            return True
        return self.legacy_dir.is_dir() and not self.shard_dir.is_dir()

    def stored(self, problems: list[str] | None = None) -> StateDocs:
        """The state documents of every paper that has one, by the id they are stored under
        (an old 8-digit id in a library not yet migrated).

        An unreadable shard raises, unless ``problems`` is given: then its one-line error is
        added there and the other shards are still read (the reader opens without them)."""
        return {pid: dict(doc) for pid, doc in self._stored_docs(problems)}

    def _stored_docs(
        self, problems: list[str] | None, shards: Collection[int] | None = None
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(id, document) of every stored state, one file at a time (a later one wins): at 50k
        states, holding every shard's parsed JSON and a copy of each document until the end
        doubled the memory a re-read takes."""
        state_file = read_checked(self.path, check_state)
        if not self.is_legacy(state_file):
            folders = [self.shard_dir]
        else:
            folders = [self.legacy_dir]
            yield from ((str(d["id"]), d) for d in state_file.get(LEGACY_TABLE, {}).values())
        for folder in folders:
            if folder.is_dir():
                ahead = self._ahead(problems) if folder == self.shard_dir else {}
                for shard in range(STATE_SHARDS) if shards is None else sorted(shards):
                    try:
                        docs = self._docs(folder / f"{shard:02d}.json", ahead)
                    except StorageError as err:
                        if problems is None:
                            raise
                        problems.append(str(err))
                        continue
                    yield from ((str(d["id"]), d) for d in docs.values())

    def states(
        self, problems: list[str] | None = None, shards: Collection[int] | None = None
    ) -> dict[str, UserState]:
        """The state of every paper that has one, by the id it is stored under (see
        :meth:`stored` for ``problems``); only those of ``shards`` when given (and the layout
        is current: an older one is read whole)."""
        docs = self._stored_docs(problems, None if self.is_legacy() else shards)
        return {pid: UserState.from_dict(doc) for pid, doc in docs}

    def state_of(self, pid: str) -> UserState | None:
        """The state of paper key ``pid`` from its one shard (of 64), as a multi-shard change
        cut short will land (see :mod:`journal`); None when the layout is older than keys (the
        caller then looks through every state, by key)."""
        if self.is_legacy():
            return None
        docs = self._docs(self.shard_path(self.shard_of(pid)), self.journal.pending())
        doc = docs.get(str(doc_id_of(pid)))
        if doc is None or doc.get("id") != pid:  # stored otherwise: look through it
            doc = next((d for d in docs.values() if d.get("id") == pid), None)
        return UserState.from_dict(dict(doc)) if doc is not None else UserState()

    def session(self) -> dict[str, Any]:
        return dict(read_checked(self.path, check_state).get("session", {}).get("1", {}))

    # -- writing (the caller holds the lock) ---------------------------------------------------

    def update(
        self, changes: Changes, failed: dict[str, str] | None = None
    ) -> dict[str, UserState]:
        """Merge field changes into each paper's state; returns the new states of those papers.

        Only the shards holding these papers are rewritten; several through the journal, all
        or nothing. An unreadable shard raises, unless ``failed`` is given: then its papers
        go there with its one-line error and the others are still written. The library
        migrates an older layout before any write, so this one is current.
        """
        # One read of state.json serves the schema check and stamp: this runs on every bookmark.
        state_file = read_checked(self.path, check_state)
        self.journal.roll_forward()
        by_shard = self._group(changes)
        current: dict[int, dict[str, Any]] = {}
        for shard, docs in list(by_shard.items()):
            try:  # refuses a bad or newer shard before anything is written
                current[shard] = read_checked(self.shard_path(shard), check_state)
            except StorageError as err:
                if failed is None:
                    raise
                failed.update(dict.fromkeys((str(d["id"]) for d in docs.values()), str(err)))
                del by_shard[shard]
        # One shard: one atomic write as before, no journal (a bookmark stays as cheap).
        many = len(by_shard) > 1
        merged = self._commit(by_shard, current) if many else self._upsert(by_shard)
        if merged and not state_file.get("meta"):
            self._stamp()
        return {pid: UserState.from_dict(doc) for pid, doc in merged.items()}

    def _group(self, changes: Changes) -> dict[int, dict[int, dict[str, Any]]]:
        """``changes`` (paper id -> fields) by shard, then by TinyDB document id."""
        by_shard: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        for pid, fields in changes.items():
            by_shard[self.shard_of(pid)][doc_id_of(pid)] = {**fields, "id": pid}
        return by_shard

    def _upsert(self, by_shard: Mapping[int, Mapping[int, Any]]) -> dict[str, dict[str, Any]]:
        """Merge the grouped changes into their shards, one write per shard."""
        self.shard_dir.mkdir(mode=0o700, exist_ok=True)
        merged: dict[str, dict[str, Any]] = {}
        for shard, docs in by_shard.items():
            written = open_db(self.shard_path(shard)).table("state").upsert_many(docs)  # type: ignore[attr-defined]
            merged.update((str(doc["id"]), doc) for doc in written.values())
        return merged

    def _commit(
        self, by_shard: Mapping[int, Mapping[int, Any]], current: Mapping[int, Mapping[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        """Merge the grouped changes into the shards as read (``current``), as TinyDB's upsert
        would, and write them all or nothing through the journal."""
        contents: Shards = {}
        merged: dict[str, dict[str, Any]] = {}
        for shard, docs in by_shard.items():
            content = dict(current[shard])
            table = content["state"] = dict(content.get("state", {}))
            for doc_id, fields in docs.items():
                doc = table[str(doc_id)] = {**table.get(str(doc_id), {}), **fields}
                merged[str(doc["id"])] = doc
            contents[self.shard_path(shard).name] = content
        self.shard_dir.mkdir(mode=0o700, exist_ok=True)
        self.journal.commit(contents)
        return merged

    def save_session(self, session: Mapping[str, Any]) -> None:
        """Replace the session, stamped with when it was saved and when its theme last changed
        (the newer of a theme picked in the reader and the config file's wins:
        config.pick_theme)."""
        self.journal.roll_forward()  # every holder of the lock completes a cut-short change
        state_file = read_checked(self.path, check_state)
        stamped = bool(state_file.get("meta"))
        previous = dict(state_file.get("session", {}).get("1", {}))
        now = time.time()
        theme_at = previous.get("theme_at", previous.get("saved_at"))
        if session.get("theme") != previous.get("theme") or theme_at is None:
            theme_at = now
        saved = {**session, "saved_at": now, "theme_at": theme_at}
        open_db(self.path).table("session").replace_all({1: saved})  # type: ignore[attr-defined]
        if not stamped:
            self._stamp()

    def _stamp(self) -> None:
        open_db(self.path).table("meta").upsert_many({1: {"schema": SCHEMA_VERSION}})  # type: ignore[attr-defined]

    def replace_layout(
        self, states: Mapping[str, Mapping[str, Any]], session: Mapping[str, Any]
    ) -> None:
        """Migrate: write ``states`` (key -> document) as the current layout, then commit.

        The new folder is written from scratch (whatever an interrupted attempt left in it is
        not yet committed), then ``state.json`` is replaced in one write naming the current
        schema, then the old layout goes."""
        if self.shard_dir.exists():
            shutil.rmtree(self.shard_dir)
        if states:
            self._upsert(self._group(states))
            fsync_dir(self.shard_dir)
        commit: dict[str, Any] = {"meta": {"1": {"schema": SCHEMA_VERSION}}}
        if session:
            commit["session"] = {"1": dict(session)}
        open_db(self.path).storage.write(commit)
        self.remove_legacy()

    def remove_legacy(self) -> None:
        """Delete the schema 2 folder once ``state.json`` says the current layout is complete."""
        if self.legacy_dir.is_dir():
            shutil.rmtree(self.legacy_dir)
