"""Write errors (no permission, full disk, read-only file system) at every write step: one line
naming the file, exit 1, and an import that fails leaves the library reading exactly as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from digestreader.cli.main import main
from digestreader.ingest.parser import parse_text
from digestreader.library import Library, LibraryError
from digestreader.store.state import STATE_DIR
from tests.faults import ERRNOS, WRITE_STEPS, inject

FIRST = (
    "Jun 2\nA Paper Seen First Without Abstract\nSome Other Paper With Words\nIt has an abstract.\n"
)
SECOND = (
    "Jun 3\nA Paper Seen First Without Abstract\nNow with zanzibarite crystals.\n"
    "A Brand New Paper\nAbout new things entirely.\n"
)


def snapshot(root: Path) -> Any:
    """Everything a reader of the library sees, read by a fresh process-like Library."""
    lib = Library(root)
    return (
        [(v.paper, v.state) for v in lib.papers_with_state()],
        lib.digests(),
        lib.load_session(),
    )


def refill_library(tmp_path: Path) -> tuple[Library, Path]:
    """A library whose next import (``SECOND``) rewrites an existing abstract segment."""
    lib = Library(tmp_path / "lib")
    lib.import_digests([("first", parse_text(FIRST, "first.txt"))])
    lib.set_marked([lib.papers()[0].id])
    second = tmp_path / "second.txt"
    second.write_text(SECOND)
    return lib, second


def count_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> int:
    lib, second = refill_library(tmp_path / "count")
    faulty = inject(monkeypatch, step, 0, 0)
    assert main(["--library", str(lib.root), "import", str(second)]) == 0
    monkeypatch.undo()
    return faulty.calls


@pytest.mark.parametrize("code", sorted(ERRNOS))
@pytest.mark.parametrize("step", WRITE_STEPS)
def test_an_import_failing_at_any_write_is_one_line_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    step: str,
    code: str,
) -> None:
    calls = count_calls(tmp_path, monkeypatch, step)
    assert calls >= 2  # the segment, the catalog (and the index)
    for nth in range(1, calls + 1):
        lib, second = refill_library(tmp_path / f"{nth}")
        before = snapshot(lib.root)
        capsys.readouterr()
        inject(monkeypatch, step, ERRNOS[code], nth)
        status = main(["--library", str(lib.root), "import", str(second)])
        monkeypatch.undo()
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if status == 1:
            assert err.count("\n") == 1, err
            assert err.startswith("digestreader: error: "), err
            assert str(lib.root) in err, err
            assert os.strerror(ERRNOS[code]) in err, err
            assert snapshot(lib.root) == before, f"{step} #{nth} changed the library"
        else:  # a cache (the index) or a folder's fsync failed: the import is done
            assert status == 0, err
            assert err.count("\n") <= 1, err
            assert snapshot(lib.root) != before


@pytest.mark.parametrize("step", WRITE_STEPS)
def test_a_mark_failing_at_any_write_is_a_library_error(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    pid = sample_library.papers()[0].id
    inject(monkeypatch, step, ERRNOS["ENOSPC"], 1)
    with pytest.raises(LibraryError, match="No space left on device") as caught:
        sample_library.set_marked([pid])
    assert "\n" not in str(caught.value)
    monkeypatch.undo()
    assert not Library(sample_library.root).states().get(pid)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digestreader", "--library", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_folder_that_cannot_be_written_is_one_line_from_the_cli(
    sample_library: Library, tmp_path: Path
) -> None:
    """root ignores permission bits, so the unwritable folder is a file where it should be."""
    pid = sample_library.papers()[0].id
    state_dir = sample_library.root / STATE_DIR
    state_dir.mkdir(exist_ok=True)
    state_dir.rmdir()
    state_dir.write_text("not a folder")
    done = cli(sample_library.root, "mark", pid)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"digestreader: error: {state_dir}"), done.stderr
    assert "Not a directory" in done.stderr or "File exists" in done.stderr


def test_an_import_into_an_unwritable_abstracts_folder_writes_nothing(
    sample_library: Library, tmp_path: Path
) -> None:
    corpus = sample_library.corpus_path.read_bytes()
    abstracts = sample_library.root / "abstracts"
    for segment in abstracts.iterdir():
        segment.unlink()
    abstracts.rmdir()
    abstracts.write_text("not a folder")
    digest = tmp_path / "new.txt"
    digest.write_text("Jun 9\nAn Entirely New Paper\nWith an abstract of its own.\n")
    done = cli(sample_library.root, "import", str(digest))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(abstracts) in done.stderr, done.stderr
    assert sample_library.corpus_path.read_bytes() == corpus
