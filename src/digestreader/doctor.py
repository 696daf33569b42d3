"""`digestreader doctor`: check every file of a library, say what is wrong and how to fix it,
and with ``repair`` fix what can be fixed without guessing.

Checks: each file parses, has the shape and a schema this version reads; abstract segments the
catalog lists exist, and no unused ones linger; files and folders are private; no temp files of
interrupted writes remain; the search index matches the corpus. Repairs: remove leftovers and
orphans, tighten modes, rebuild the index, and put a bad user-state file aside (in
``backups/broken/``) to restore its newest good copy from ``backups/``. The corpus itself is
never rewritten here: a bad one is named, with what to do.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digestreader.ingest.indexing import index_path, read_index, refresh_index
from digestreader.library import Library, LibraryError
from digestreader.store.backups import BACKUP_DIR, newest_copy, state_files
from digestreader.store.corpus import CorpusStore, read_checked
from digestreader.store.files import (
    DIR_MODE,
    FILE_MODE,
    StorageError,
    atomic_write_bytes,
    is_our_leftover,
    locked_store,
)
from digestreader.store.shapes import check_corpus, check_segment, check_state
from digestreader.store.state import STATE_DIR


@dataclass
class Finding:
    """One problem: the file, what is wrong, how to fix it, and the repair (None: by hand)."""

    path: Path
    problem: str
    fix: str
    repair: Callable[[], str] | None = None

    def line(self) -> str:
        return f"{self.path}: {self.problem}; fix: {self.fix}"


def examine(library: Library) -> list[Finding]:
    """Every problem of the library, one finding each."""
    root = library.root
    if not root.exists():
        return []
    findings = list(_modes(root))
    findings += _leftovers(root)
    corpus_ok = _corpus(library, findings)
    findings += _state(library)
    findings += _journal(library)
    if corpus_ok:
        findings += _index(library)
    return findings


def _modes(root: Path) -> Iterator[Finding]:
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink() or is_our_leftover(name):
                continue  # a leftover is its own finding
            mode = stat.S_IMODE(path.lstat().st_mode)
            want = DIR_MODE if path.is_dir() else FILE_MODE
            if mode & 0o077:
                yield _mode_finding(path, mode, want)
    mode = stat.S_IMODE(root.stat().st_mode)
    if mode & 0o077:
        yield _mode_finding(root, mode, DIR_MODE)


def _mode_finding(path: Path, mode: int, want: int) -> Finding:
    def repair() -> str:
        os.chmod(path, want)
        return f"mode set to {want:04o}"

    return Finding(
        path, f"mode {mode:04o} lets other users read it", f"chmod {want:o} '{path}'", repair
    )


def _leftovers(root: Path) -> list[Finding]:
    found = []
    for folder in (root, root / STATE_DIR, root / "abstracts", root / BACKUP_DIR):
        try:
            names = sorted(e.name for e in os.scandir(folder) if is_our_leftover(e.name))
        except OSError:
            continue
        for name in names:
            path = folder / name

            def repair(path: Path = path) -> str:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                return "removed"

            found.append(
                Finding(
                    path, "left by an interrupted write", "digestreader doctor --repair", repair
                )
            )
    return found


def _corpus(library: Library, findings: list[Finding]) -> bool:
    """Check corpus.json and its segments; whether the corpus reads whole."""
    store: CorpusStore = library.corpus_store
    if not store.corpus_path.exists():
        return True
    try:
        read_checked(store.corpus_path, check_corpus)
        catalog = store.catalog()
    except (StorageError, OSError) as err:
        fix = "move it away and import your digests again (marks and notes are kept apart)"
        findings.append(Finding(store.corpus_path, _why(err, store.corpus_path), fix))
        return False
    ok = True
    for name in store.segment_names(catalog):
        path = store.abstracts_dir / name
        try:
            if not path.exists():
                raise StorageError("listed in corpus.json but missing")
            read_checked(path, check_segment)
        except (StorageError, OSError) as err:
            fix = "import your digests again: the abstracts are rewritten from them"
            findings.append(Finding(path, _why(err, path), fix))
            ok = False
    for path in store.orphans(catalog):

        def remove(path: Path = path) -> str:
            with locked_store(store):
                if path in store.orphans(store.catalog()):
                    path.unlink()
            return "removed"

        findings.append(
            Finding(path, "abstracts no catalog uses", "digestreader doctor --repair", remove)
        )
    return ok


def _state(library: Library) -> list[Finding]:
    root = library.root
    found = []
    for relative in state_files(root):
        path = root / relative
        try:
            read_checked(path, check_state)
        except (StorageError, OSError) as err:
            copy = newest_copy(root, relative)
            if copy is None:
                fix = "no backup holds it: move it away (its marks and notes are lost)"
                found.append(Finding(path, _why(err, path), fix))
                continue
            found.append(
                Finding(
                    path,
                    _why(err, path),
                    f"digestreader doctor --repair (restores the copy in backup "
                    f"{copy.relative_to(root / BACKUP_DIR).parts[0]})",
                    _restorer(library, path, copy),
                )
            )
    return found


def _journal(library: Library) -> list[Finding]:
    """A journal left by a cut-short change of several state shards: completed by any write,
    or here; a bad one is set aside (the change it held is lost, the shards stay as they are)."""
    store = library.state_store
    path = store.journal.path
    if not path.exists():
        return []

    def complete() -> str:
        with locked_store(store):
            store.journal.roll_forward()
        return "completed"

    try:
        store.journal.pending()
    except (StorageError, OSError) as err:
        fix = "digestreader doctor --repair (sets it aside; the change it held is lost)"
        return [Finding(path, _why(err, path), fix, _aside(library, path))]
    fix = "digestreader doctor --repair, or any change of a mark or note, completes it"
    return [Finding(path, "a change of several papers was cut short", fix, complete)]


def _aside(library: Library, path: Path) -> Callable[[], str]:
    def repair() -> str:
        with locked_store(library.state_store):
            aside = _broken(library, path)
            os.replace(path, aside)
        return f"set aside as {aside}"

    return repair


def _broken(library: Library, path: Path) -> Path:
    """Where a bad file is kept once put aside: ``backups/broken/<name>.<time>``."""
    broken = library.root / BACKUP_DIR / "broken"
    broken.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return broken / f"{path.name}.{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"


def _restorer(library: Library, path: Path, copy: Path) -> Callable[[], str]:
    def repair() -> str:
        aside = _broken(library, path)
        with locked_store(library.state_store):
            os.replace(path, aside)
            atomic_write_bytes(path, copy.read_bytes())
        return f"restored from {copy}; the bad file is kept as {aside}"

    return repair


def _index(library: Library) -> list[Finding]:
    catalog = library.catalog()
    if not catalog.docs or not catalog.revision:
        return []
    path = index_path(library)
    index, problem = read_index(path, catalog.revision, len(catalog.docs))
    if index is not None:
        return []

    def rebuild() -> str:
        _, failed = refresh_index(library)
        if failed:
            raise LibraryError(failed)
        return "rebuilt"

    state = "unreadable" if problem else ("stale" if path.exists() else "missing")
    return [Finding(path, f"search index is {state}", "digestreader doctor --repair", rebuild)]


def _why(err: BaseException, path: Path) -> str:
    """The error's text without the file name the finding already starts with."""
    text = str(err)
    for prefix in (f"{path}: ", f"{path} "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def repair(findings: list[Finding]) -> list[str]:
    """Apply each finding's repair; one line per repair, what was done or why it failed."""
    lines = []
    for finding in findings:
        if finding.repair is None:
            continue
        try:
            done = finding.repair()
        except (OSError, StorageError, LibraryError) as err:
            done = f"not repaired ({getattr(err, 'strerror', None) or err})"
        lines.append(f"{finding.path}: {done}")
    return lines
