"""The search index on disk: built when a corpus is written, loaded by the reader in a blink.

``index.npz`` in the library folder holds every field's vocabulary, offsets and postings, and the
corpus revision it was built from. It is a cache: a missing, stale or unreadable file only means
the reader builds the index again in a worker (and saves it for next time).
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from digestreader.ingest.index_tail import (
    Tail,
    index_head,
    read_tail,
    save_tail,
    tail_path,
    write_arrays,
)
from digestreader.library import Library
from digestreader.sanitize import clean_line
from digestreader.search.index import FIELDS, FieldIndex, SearchIndex, tail_fields
from digestreader.search.tailed import TailedIndex
from digestreader.search.typo import TypoIndex
from digestreader.store.documents import AddedTexts, ImportResult
from digestreader.store.files import StorageError, locked

INDEX_FILE = "index.npz"
FORMAT = 2  # 2: with the typo index


def index_path(library: Library) -> Path:
    """Where ``library`` keeps its index."""
    return library.root / INDEX_FILE


def save_index(index: SearchIndex, path: Path, revision: str) -> None:
    """Write ``index`` atomically, stamped with the corpus ``revision`` it was built from."""
    index = index.whole()
    arrays: dict[str, np.ndarray] = {
        "meta": np.array([FORMAT, index.size], np.int64),
        "revision": np.frombuffer(revision.encode("ascii"), np.uint8),
        **index.typos.arrays(),
    }
    write_arrays(path, arrays, index.fields)


def load_index(path: Path, revision: str, size: int | None) -> SearchIndex | None:
    """The saved index if it was built from this corpus ``revision`` (of ``size`` papers, when
    given)."""
    return read_index(path, revision, size)[0]


def read_index(path: Path, revision: str, size: int | None) -> tuple[SearchIndex | None, str]:
    """As :func:`load_index`, with why a file that is there could not be used: "" when it is
    missing or only stale (the normal life of a cache), else one line to tell the user. An
    index saved for an older revision is used with the tail that brings it to ``revision``
    (see :mod:`index_tail`)."""
    tail = None
    try:
        with np.load(path, allow_pickle=False) as saved:
            fmt, saved_size = (int(v) for v in saved["meta"])
            saved_revision = saved["revision"].tobytes().decode("ascii")
            if fmt != FORMAT or not revision:
                return None, ""
            if saved_revision != revision:
                tail = read_tail(tail_path(path))
                if tail is None or (tail.base, tail.base_size, tail.revision) != (
                    saved_revision,
                    saved_size,
                    revision,
                ):
                    return None, ""
            if size is not None and (tail.size if tail else saved_size) != size:
                return None, ""
            fields = {}
            for name in FIELDS:
                text = saved[f"{name}.vocabulary"].tobytes().decode("utf-8")
                fields[name] = FieldIndex(
                    text.split("\n") if text else [],
                    saved[f"{name}.offsets"],
                    saved[f"{name}.postings"],
                )
            typos = TypoIndex.from_arrays(saved)
    except FileNotFoundError:
        return None, ""
    # A cache: anything wrong with it means build again. np.load raises EOFError on an empty
    # file, and a damaged archive can fail with any of these.
    except (OSError, EOFError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as err:
        why = getattr(err, "strerror", None) or str(err) or type(err).__name__
        return None, f"search index {path} was unreadable ({clean_line(why)[:80]}); rebuilt"
    index = SearchIndex(saved_size, fields, typos)
    return (TailedIndex(index, tail.size, tail.fields) if tail else index), ""


def build_and_save(
    library: Library, titles: Sequence[str], abstracts: Sequence[str], revision: str
) -> tuple[SearchIndex, str | None]:
    """Build the index of these texts and save it for ``revision``; the second value says why
    it could not be saved (a cache that cannot be written costs time, never data). A library
    from before revisions existed is indexed but not saved."""
    index = SearchIndex.build(titles, abstracts)
    return index, _save(library, index, revision)


def _save(library: Library, index: SearchIndex, revision: str) -> str | None:
    """Save ``index``; why it could not be, if so. Nothing is saved without a revision."""
    if not revision:
        return None
    path = index_path(library)

    def write() -> None:
        save_index(index, path, revision)
        # A tail extends the index it was written for, now replaced: only disk space.
        with contextlib.suppress(OSError):
            tail_path(path).unlink(missing_ok=True)

    return _locked_write(library, path, write)


def _locked_write(library: Library, path: Path, write: Callable[[], None]) -> str | None:
    """Run ``write`` (of the index at ``path`` or its tail) under the corpus lock, which
    cleans what a killed write of either left; why it failed, if it did."""
    try:
        with locked(library.corpus_store.lock_path, (path, tail_path(path))):
            write()
    except StorageError as err:
        return f"search index not saved ({err})"
    except OSError as err:
        return f"search index not saved ({err.strerror or 'cannot write'})"
    return None


def refresh_index(library: Library) -> tuple[SearchIndex, str | None]:
    """Build the index of the library's current corpus and save it (after an import)."""
    catalog = library.catalog()
    titles = [str(d["title"]) for d in catalog.docs]
    return build_and_save(library, titles, library.abstracts(catalog), catalog.revision)


def update_index(library: Library, result: ImportResult | None = None) -> str | None:
    """Bring the saved index up to date after an import; returns a warning when it could not be
    saved.

    When ``result`` is the import that wrote the current corpus and the index saved for the
    corpus before it is there, only what the import added is indexed: new papers, and papers
    whose empty abstract was filled. Otherwise the whole corpus is indexed again.
    """
    added = result.added if result is not None else None
    if added is not None and result is not None and result.revisions:
        # The import knows what it added: no catalog or abstract read, when the index of the
        # corpus before it is there and nothing was written since.
        table = library.id_table()  # the corpus on disk now: another process may have written
        revision = table.revision if table is not None else None
        if revision is not None and revision == result.revisions[1]:
            problem = _extend(library, added, result.revisions[0], revision)
            if problem is not False:
                return f"{problem}; the reader will build it when opened" if problem else None
    catalog = library.catalog()
    titles = [str(d["title"]) for d in catalog.docs]
    abstracts = library.abstracts(catalog)
    old = None
    if result is not None and result.revisions and result.revisions[1] == catalog.revision:
        old = load_index(index_path(library), result.revisions[0], None)
    if old is None or result is None or old.size > len(titles):
        problem = build_and_save(library, titles, abstracts, catalog.revision)[1]
    else:
        position = {str(d["id"]): i for i, d in enumerate(catalog.docs)}
        refilled = result.refilled
        known = {position[pid] for pid in refilled if position.get(pid, old.size) < old.size}
        problem = _save(library, old.extended(titles, abstracts, sorted(known)), catalog.revision)
    return f"{problem}; the reader will build it when opened" if problem else None


def _extend(library: Library, added: AddedTexts, before: str, revision: str) -> str | bool | None:
    """Extend the saved index (for corpus ``before``) by what an import ``added``: its tail,
    or, when the tail grew long, the index itself. False when there is no such index (then it
    is built again); else why it could not be saved, if so."""
    path = index_path(library)
    head = index_head(path)
    if head is None:
        return False
    tail = Tail(head[0], head[1], head[0], head[1], tail_fields(0, [], []))
    if head != (before, added.size):
        old_tail = read_tail(tail_path(path))
        if old_tail is None or (old_tail.base, old_tail.base_size) != head:
            return False
        if (old_tail.revision, old_tail.size) != (before, added.size):
            return False
        tail = old_tail
    size = added.size + len(added.titles)
    fields = tail_fields(added.size, added.titles, added.abstracts, added.refilled)
    tail = tail.extended(revision, size, fields)
    if tail.too_long():
        old = load_index(path, before, added.size)
        if old is None:
            return False
        return _save(library, old.grown(added.titles, added.abstracts, added.refilled), revision)
    return _locked_write(library, path, lambda: save_tail(tail, tail_path(path)))
