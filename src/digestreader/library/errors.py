"""What the library facade raises, and the one place storage errors become it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from digestreader.store.files import StorageError
from digestreader.store.identity import IdentityError


class LibraryError(Exception):
    """An error a user can act on. ``str()`` is one line."""


def default_root() -> Path:
    """``$DIGESTREADER_HOME`` if set, else the platform's user data folder."""
    env = os.environ.get("DIGESTREADER_HOME")
    if env:
        return Path(env)
    # Here, not at the top: with --library or $DIGESTREADER_HOME a command needs none of it
    # (5 ms of a cold `mark ID`, with its tempfile, shutil and random).
    import platformdirs

    return platformdirs.user_data_path("digestreader")


@contextmanager
def as_library_errors() -> Iterator[None]:
    """Storage failures (unreadable, corrupt, locked, newer schema), identity errors (unknown or
    ambiguous ids, two papers on one key) and any OS error on the way (a folder that cannot be
    made, a full disk) as one-line LibraryErrors naming the file."""
    try:
        yield
    except (StorageError, IdentityError) as err:
        raise LibraryError(str(err)) from None
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        raise LibraryError(f"{where}{err.strerror or err}") from None


def now_iso() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")
