"""The first frame parses only the documents it draws; the rest of the catalog follows in a worker.

A wrong-shaped document found then ends the reader with the one line a bad catalog at start gives
(nothing is written), and a filter typed before the rest is in gets its right result once it is.
"""

from __future__ import annotations

import os
from pathlib import Path

from digestreader.config import Config
from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.store.lazy_catalog import LazyDocs
from digestreader.ui.app import DigestReaderApp
from tests.functional.conftest import settle, wait_for

PAGES, PER_PAGE = 8, 250  # 2,000 papers


def library_of_2000(root: Path) -> Library:
    """A library of 2,000 papers over eight daily pages."""
    library = Library(root)
    pages = []
    for day in range(PAGES):
        text = "".join(
            f"Paper {day}-{n} on topic {n % 7}\nAn abstract about method {day}x{n} and more.\n"
            for n in range(PER_PAGE)
        )
        name = f"2026-04-{day + 1:02d}"
        pages.append((name, parse_text(text, f"{name}.txt")))
    library.import_digests(pages)
    return library


def spoil_document(library: Library, position: int) -> bytes:
    """Give the catalog document at ``position`` a title that is a number, in place (same
    size, same modification time: the id table still describes the file, as after a restore
    that kept times); returns the file's new bytes."""
    table = library.id_table()
    assert table is not None
    start, length = table.starts[position], table.lengths[position]  # spans in catalog order
    corpus = library.corpus_path
    stat = corpus.stat()
    raw = corpus.read_bytes()
    doc = raw[start : start + length]
    at = doc.index(b'"title":"') + len(b'"title":')
    end = doc.index(b'"', at + 1) + 1
    spoiled = raw[: start + at] + b"7" * (end - at) + raw[start + end :]
    corpus.write_bytes(spoiled)
    os.utime(corpus, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return spoiled


async def test_a_wrong_document_deep_in_the_catalog_ends_the_reader_with_one_line(
    tmp_path: Path,
) -> None:
    library = library_of_2000(tmp_path / "lib")
    spoiled = spoil_document(library, 1500)
    model = ReaderModel(Library(library.root), states_later=True)
    assert isinstance(model.catalog.docs, LazyDocs)  # the start did not see it
    app = DigestReaderApp(model, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(500):
            if app.return_code is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code == 1
    problem = app.model.catalog_problem
    assert problem.startswith(f"{library.corpus_path}: not a digestreader file (paper ")
    assert "has no id or title" in problem
    assert "\n" not in problem
    assert library.corpus_path.read_bytes() == spoiled


async def test_a_filter_typed_before_the_catalog_is_in_gets_its_result(tmp_path: Path) -> None:
    library = library_of_2000(tmp_path / "lib")
    expected = ReaderModel(Library(library.root)).compute(ListingSpec("topic 3 method 5x")).order
    model = ReaderModel(Library(library.root), states_later=True)
    docs = model.catalog.docs
    assert isinstance(docs, LazyDocs)
    app = DigestReaderApp(model, Config())
    # The loading worker (and the filter, which needs every title) wait on this lock: held,
    # the reader stays before the rest of the catalog is parsed.
    held = docs._lock
    held.acquire()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.main_screen
            await wait_for(pilot, lambda: screen.listing is not None)
            assert screen.listing is not None
            assert len(screen.listing.order) == 2000
            await pilot.press("slash", *"topic 3 method 5x")
            await pilot.pause(0.1)
            assert not docs.loaded
            assert screen.listing.spec.query == ""  # the filter waits for the catalog
            held.release()
            await settle(pilot)
            assert docs.loaded
            assert screen.listing.spec.query == "topic 3 method 5x"
            assert list(screen.listing.order) == list(expected)
            assert len(expected) > 0
    finally:
        if held.locked():
            held.release()
