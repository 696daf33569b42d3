"""Rolling copies of the user state (state.json and the state shards: marks, reads, notes).

A copy is taken at each reader session (after its first frame, before its first write: see
``Library.begin_session``) and before each bulk change (mark all read, a restore), under the
state lock; the newest ``KEEP`` stay in ``backups/``. A copy whose marks, reads and notes equal
the newest one's is not taken again, so opening the reader ten times does not push a useful copy
out: the reader's session in state.json (filter, paper, theme, saved on every run with a stamp)
is left out of that comparison, but a copy holds every file whole, session included. Only files
that read back whole are copied: a copy never holds a torn file. ``doctor --repair`` restores a
bad state file from the newest copy that has it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import orjson

from digestreader.store.corpus import read_checked
from digestreader.store.files import DIR_MODE, StorageError, atomic_write_bytes, fsync_dir
from digestreader.store.shapes import check_state
from digestreader.store.state import STATE_DIR, StateStore

BACKUP_DIR = "backups"
KEEP = 10
NAME = re.compile(r"\d{8}T\d{6}\d{6}Z-[0-9a-f]{8}")
SESSION_FILE = Path("state.json")  # holds the session beside the schema stamp


def backup_dirs(root: Path) -> list[Path]:
    """The backups of the library at ``root``, oldest first."""
    try:
        names = [e.name for e in os.scandir(root / BACKUP_DIR) if e.is_dir()]
    except OSError:
        return []
    return [root / BACKUP_DIR / n for n in sorted(names) if NAME.fullmatch(n)]


def state_files(root: Path) -> list[Path]:
    """The user-state files of the library, relative to ``root``, that exist now."""
    state = root / "state.json"
    # Whatever is there counts (a folder or a link in its place is a finding for doctor).
    files = [Path("state.json")] if state.exists() or state.is_symlink() else []
    shard_dir = root / STATE_DIR
    if shard_dir.is_dir():
        names = sorted(n for n in os.listdir(shard_dir) if re.fullmatch(r"\d\d\.json", n))
        files += [Path(STATE_DIR) / n for n in names]
    return files


def _readable(path: Path) -> bytes | None:
    """The bytes of ``path`` if it reads back as a whole, well-shaped state file."""
    try:
        read_checked(path, check_state)
        return path.read_bytes()
    except (StorageError, OSError):
        return None


def _without_session(data: bytes) -> bytes:
    """state.json as compared with a backup's: without the reader's session, which changes on
    every run and is not what a backup keeps safe (a file that does not parse: as it is)."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return data
    if not isinstance(parsed, dict):
        return data
    parsed.pop("session", None)
    return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS)


def _fingerprint(files: Mapping[Path, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        data = _without_session(files[name]) if name == SESSION_FILE else files[name]
        digest.update(str(name).encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _current(root: Path) -> dict[Path, bytes]:
    files = {}
    for name in state_files(root):
        data = _readable(root / name)
        if data is not None:
            files[name] = data
    return files


def _stored(folder: Path) -> dict[Path, bytes]:
    return {name: (folder / name).read_bytes() for name in state_files(folder)}


def _same(name: Path, now: bytes, stored: bytes) -> bool:
    if now == stored:
        return True
    return name == SESSION_FILE and _without_session(now) == _without_session(stored)


def _unchanged(root: Path, newest: Path) -> bool:
    """Whether the shards are byte for byte those of the ``newest`` backup (which were checked
    when it was taken), and state.json is but for the session: then no shard needs parsing.
    Each reader session asks this, and parsing every state to compare cost 0.3 s at 50k papers;
    copying them again because only the session had changed, ~100 ms and a useful old copy."""
    names = state_files(root)
    if not names or names != state_files(newest):
        return False
    try:
        return all(
            _same(name, (root / name).read_bytes(), (newest / name).read_bytes()) for name in names
        )
    except OSError:
        return False  # the full comparison decides, and reports what it must


def take_backup(root: Path) -> Path | None:
    """Copy the user state into a new backup (call under the state lock); None when there is
    no state yet or it equals the newest backup. OSErrors propagate: the caller reports them."""
    StateStore(root).journal.roll_forward()  # never copy half of a cut-short change
    existing = backup_dirs(root)
    if existing and _unchanged(root, existing[-1]):
        return None
    files = _current(root)
    if not files:
        return None
    if existing and _fingerprint(_stored(existing[-1])) == _fingerprint(files):
        return None
    folder = root / BACKUP_DIR
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    _remove_unfinished(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    import secrets  # here: a start that takes no backup needs none of it (nor hmac, base64)

    name = f"{stamp}-{secrets.token_hex(4)}"
    staging = folder / f".{name}.{secrets.token_hex(4)}.tmp"  # our leftover naming
    (staging / STATE_DIR).mkdir(mode=DIR_MODE, parents=True)
    for relative, data in files.items():
        atomic_write_bytes(staging / relative, data)
    os.chmod(staging, DIR_MODE)
    os.replace(staging, folder / name)  # a backup appears whole or not at all
    fsync_dir(folder)
    for old in backup_dirs(root)[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
    return folder / name


def _remove_unfinished(folder: Path) -> None:
    """Backups a killed process left half written."""
    for entry in os.scandir(folder):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                shutil.rmtree(entry.path)


def newest_copy(root: Path, relative: Path) -> Path | None:
    """The newest backup of the state file ``relative`` that reads back whole."""
    for folder in reversed(backup_dirs(root)):
        if _readable(folder / relative) is not None:
            return folder / relative
    return None
