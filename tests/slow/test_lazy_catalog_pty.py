"""The real reader in a pseudo-terminal over a catalog whose wrong-shaped document only the
worker after the first frame meets: it ends as for a bad catalog at start, one line and exit 1,
and the catalog is left as it was."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

import pytest

from tests.functional.test_lazy_catalog import library_of_2000, spoil_document
from tests.slow.procs import reader_in_pty

pytestmark = pytest.mark.slow


def test_the_reader_ends_with_one_line_on_a_wrong_document_deep_in_the_catalog(
    tmp_path: Path,
) -> None:
    library = library_of_2000(tmp_path / "lib")
    spoiled = spoil_document(library, 1500)
    output = b""
    with reader_in_pty(library.root) as (proc, leader):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    output += os.read(leader, 65536)
                except OSError:  # the reader ended and closed the terminal
                    break
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=20)
    assert code == 1
    line = f"digestreader: error: {library.corpus_path}: not a digestreader file (paper "
    assert line.encode() in output
    assert b"Traceback" not in output
    assert library.corpus_path.read_bytes() == spoiled
