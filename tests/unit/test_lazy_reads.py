"""The first frame reads the catalog's head and the documents it draws, not the whole file.

Reading all of ``corpus.json`` (16 MB at 50k papers) was 10-14 ms of a fresh process's start;
the rest is read by :meth:`LazyDocs.load`, in the reader's worker, from the very file checked.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from digestreader.library import Library
from digestreader.store.lazy_catalog import LazyDocs

IO = Path("/proc/self/io")


def bytes_read() -> int:
    """What this process has read so far (every read and pread), per the kernel."""
    for line in IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1]) - len(IO.read_bytes())  # less this file's own read
    raise AssertionError("no rchar")


def first_screen(root: Path) -> LazyDocs:
    docs = Library(root).first_frame_catalog().docs
    assert isinstance(docs, LazyDocs)
    for i in range(40):
        docs[i]
    return docs


@pytest.mark.skipif(not IO.exists(), reason="needs /proc/self/io")
def test_the_first_screen_reads_a_small_part_of_the_catalog(
    sample_library: Library, tmp_path: Path
) -> None:
    size = sample_library.corpus_path.stat().st_size
    warm = tmp_path / "warm"
    shutil.copytree(sample_library.root, warm)
    first_screen(warm)  # whatever a first call imports is read there, not counted below
    before = bytes_read()
    docs = first_screen(sample_library.root)
    read = bytes_read() - before
    assert read < size / 4, (read, size)
    assert not docs.loaded
    assert list(docs) == list(Library(sample_library.root).catalog().docs)


def test_a_catalog_replaced_after_the_first_frame_is_read_as_it_was_checked(
    sample_library: Library, tmp_path: Path
) -> None:
    """A write replaces the file: the documents still come from the one the table matched."""
    root = sample_library.root
    expected = list(Library(root).catalog().docs)
    docs = Library(root).first_frame_catalog().docs
    assert isinstance(docs, LazyDocs)
    assert docs[0] == expected[0]
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps({"meta": {}, "digests": {}, "papers": {}}))
    os.replace(other, sample_library.corpus_path)
    assert docs[len(expected) // 2] == expected[len(expected) // 2]
    assert list(docs) == expected


def open_on(path: Path) -> int:
    """How many of this process's descriptors are open on ``path``."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in os.listdir(fds) if os.path.realpath(fds / fd) == str(path.resolve()))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc/self/fd")
def test_the_catalog_file_is_let_go_once_every_document_is_parsed(
    sample_library: Library,
) -> None:
    docs = first_screen(sample_library.root)
    assert open_on(sample_library.corpus_path) == 1  # held for the documents still to read
    docs.load()
    assert open_on(sample_library.corpus_path) == 0
    assert docs[5] == docs.load()[5]  # and every document is still there
