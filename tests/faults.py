"""Fault injection at the real write steps: ``os.open``, ``os.write``, ``os.fsync``,
``os.replace`` as the store calls them, failing with a real errno.

The store's module ``os`` is swapped for a proxy that forwards everything to the real ``os``
except the chosen call, which raises ``OSError(errno)`` on its n-th use: the code under test is
ours, unchanged; only the operating system misbehaves.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from digestreader.store import files

WRITE_STEPS = ("open", "write", "fsync", "replace")


def commands_on(pid: str) -> list[list[str]]:
    """CLI commands that read every kind of library file, and write states, on paper ``pid``:
    what a bad or damaged file must answer with one line."""
    return [["stats"], ["show", pid], ["list", "-q", "model"], ["mark", pid], ["note", pid, "x"]]


ERRNOS = {"EACCES": errno.EACCES, "ENOSPC": errno.ENOSPC, "EROFS": errno.EROFS}


class FaultyOS(ModuleType):
    """``os`` whose ``step`` fails with ``code`` on call number ``nth`` (counting from 1).

    With ``nth=0`` nothing fails: the calls are only counted; with ``nth=-1`` every call fails
    (a disk that stays full)."""

    def __init__(self, step: str, code: int, nth: int) -> None:
        super().__init__("os")
        self.step, self.code, self.nth, self.calls = step, code, nth, 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name != self.step:
            return real
        return self._counted(real)

    def _counted(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.nth or self.nth == -1:
                raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)

        return call


def inject(monkeypatch: pytest.MonkeyPatch, step: str, code: int, nth: int) -> FaultyOS:
    """Make the store's ``os.<step>`` fail with ``code`` on its ``nth`` call."""
    faulty = FaultyOS(step, code, nth)
    monkeypatch.setattr(files, "os", faulty)
    return faulty
