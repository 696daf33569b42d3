"""An atomic, orjson-backed TinyDB storage, and the file lock that guards read-modify-write.

TinyDB's stock JSONStorage rewrites its file in place, so a crash mid-write leaves a torn file.
This storage writes a temporary file beside the target, fsyncs it, renames it over the target
and fsyncs the folder: a reader sees the old file or the new one, never a mix. A file that cannot
be parsed raises :class:`CorruptFileError` and is never written over.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

if TYPE_CHECKING:
    from digestreader.store.tinydb_tables import BatchTinyDB

FILE_MODE = 0o600
DIR_MODE = 0o700
LOCK_TIMEOUT_S = 15.0


class StorageError(Exception):
    """A library file that cannot be read, written or locked. ``str()`` is one line."""


class CorruptFileError(StorageError):
    """A library file exists but does not parse; it is left untouched."""


def _tmp_prefix(path: Path) -> str:
    return f".{path.name}."


def is_our_leftover(name: str) -> bool:
    """Whether a file name is one of our temporary files (``.<target>.<random>.tmp``)."""
    return name.startswith(".") and name.endswith(".tmp") and name.count(".") >= 3


class WriteError(StorageError, OSError):
    """A file that could not be written: one line naming it and the cause (no permission, disk
    full, read-only file system). Also an OSError, with its errno, for callers that handle
    those (an export to a user-chosen path)."""

    def __init__(self, path: Path, err: OSError) -> None:
        OSError.__init__(self, err.errno, err.strerror, str(path))
        self.message = f"{path}: cannot write ({err.strerror or err})"

    def __str__(self) -> str:
        return self.message


def write_error(path: Path, err: OSError) -> WriteError:
    """The one-line error of a failed write of ``path``."""
    return WriteError(path, err)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable, as far as the system allows.

    Best effort: the rename is done either way, and some file systems refuse to open or fsync
    a folder; reporting that as a failed write would call a saved change unsaved."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # see above: the data itself was fsynced before the rename
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, rename.

    Any OS error (no permission, disk full, read-only file system) is a one-line
    :class:`StorageError` naming ``path``, and ``path`` is as it was."""
    import secrets  # here: with hmac and _hashlib 3-5 ms of a start that writes nothing

    tmp = path.with_name(f"{_tmp_prefix(path)}{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    except OSError as err:
        raise write_error(path, err) from None
    try:
        try:
            os.fchmod(fd, mode)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise write_error(path, err) from None
        raise
    fsync_dir(path.parent)


def remove_leftovers(target: Path) -> int:
    """Delete the temp files that interrupted writes of ours left behind (call under the lock
    that guards ``target``): every one in ``target`` when it is a folder, else those of the
    file ``target``. Returns how many."""
    folder, prefix = (target, ".") if target.is_dir() else (target.parent, _tmp_prefix(target))
    removed = 0
    try:
        names = [e.name for e in os.scandir(folder) if is_our_leftover(e.name)]
    except OSError:
        return 0  # no folder yet, or one we cannot list: nothing of ours to clean
    for name in names:
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
                removed += 1
    return removed


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The parsed object in ``path``, None if it does not exist; CorruptFileError if unparseable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise CorruptFileError(
            f"{path}: not valid JSON ({err}); it was left untouched - see `digestreader doctor`"
        ) from None
    if not isinstance(data, dict):
        raise CorruptFileError(
            f"{path}: not a JSON object; it was left untouched - see `digestreader doctor`"
        )
    return data


class AtomicJSONStorage:
    """TinyDB storage: orjson, atomic replace, never overwrites a file it could not parse.

    TinyDB's storage interface (read, write, close) without its base class: tinydb is imported
    only where a TinyDB is opened (:func:`open_db`), not by every start (1.7 ms); reading a
    file needs none of it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_json_file(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write_bytes(self.path, orjson.dumps(data))

    def close(self) -> None:
        """Nothing is held open between calls."""


def open_db(path: Path) -> BatchTinyDB:
    """A TinyDB on ``path`` with the atomic storage (no file is created until the first write)."""
    from digestreader.store.tinydb_tables import BatchTinyDB

    return BatchTinyDB(path, storage=AtomicJSONStorage)


@contextlib.contextmanager
def locked(path: Path, guards: Sequence[Path] = ()) -> Iterator[None]:
    """Hold the inter-process lock of ``path`` and clean up after interrupted writes: our temp
    files of ``path`` and of ``guards`` (the other files and folders this lock guards; only
    those, as another lock may be writing its own files beside them right now)."""
    # Here, not at the top: filelock (and its logging, decimal) was 7-15 ms of every start, and
    # the reader takes no lock before its first frame.
    from filelock import FileLock, Timeout

    lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)
    try:
        lock.acquire()
    except Timeout:
        raise StorageError(f"{path} is locked by another process; try again") from None
    except OSError as err:
        raise StorageError(f"{lock.lock_file}: cannot lock ({err.strerror or err})") from None
    try:
        for target in (path, *guards):
            remove_leftovers(target)
        yield
    finally:
        lock.release()


class Guarded(Protocol):
    """A store with one lock: the file it is named after, and what else that lock guards."""

    @property
    def lock_path(self) -> Path: ...

    @property
    def guards(self) -> tuple[Path, ...]: ...


def locked_store(store: Guarded) -> AbstractContextManager[None]:
    """:func:`locked` for ``store``: its lock held, our leftovers cleaned in all it guards."""
    return locked(store.lock_path, store.guards)


def ensure_private_folder(root: Path) -> str | None:
    """Make the folder ``root`` (0700), or tighten an existing one other users could read;
    returns a one-line notice when it tightened one. OSErrors propagate."""
    try:
        mode: int | None = stat.S_IMODE(root.stat().st_mode)
    except FileNotFoundError:
        mode = None
    if mode is None:
        root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        return None
    if mode & 0o077:
        os.chmod(root, DIR_MODE)
        return f"{root} was open to other users (mode {mode:04o}); tightened to {DIR_MODE:04o}"
    return None


def remove_if_only_locks(folder: Path) -> None:
    """Remove ``folder`` if it holds nothing but lock files (a first import that failed leaves
    no empty library); another process may be using it by now: then it stays."""
    with contextlib.suppress(OSError):
        if all(leftover.suffix == ".lock" for leftover in folder.iterdir()):
            for leftover in folder.iterdir():
                leftover.unlink()
            folder.rmdir()
