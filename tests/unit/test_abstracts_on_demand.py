"""The reader's abstracts read on demand, segment by segment: never all held, same texts, same
reliability rules as the whole read (a replaced segment is found, a wrong one is one line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digestreader.ingest.indexing import index_path
from digestreader.ingest.parser import parse_text
from digestreader.ingest.sources import parse_sources
from digestreader.library import Library, LibraryError
from digestreader.reader.abstracts import KEEP_SEGMENTS
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.store import corpus as corpus_store

SEGMENT = 100  # papers per segment here: the 561 sample papers make six


@pytest.fixture
def segmented(library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setattr(corpus_store, "SEGMENT_PAPERS", SEGMENT)
    library.import_digests(parse_sources([str(p) for p in samples]))
    return Library(library.root)  # a fresh process: nothing cached from the import


def segment_file(library: Library, segment: int) -> Path:
    return library.corpus_store.abstracts_dir / library.catalog().segments[segment]  # type: ignore[index]


def test_a_walk_reads_each_abstract_with_its_segment_and_keeps_only_the_last_few(
    segmented: Library,
) -> None:
    expected = [p.abstract for p in Library(segmented.root).papers()]
    model = ReaderModel(segmented)
    assert model.abstracts.kept == []  # nothing read to open
    for i in range(len(model.papers)):
        assert model.paper_with_state(i).paper.abstract == expected[i]
        assert len(model.abstracts.kept) <= KEEP_SEGMENTS
    assert model.abstracts.kept == [3, 4, 5]
    assert not model.abstracts_loaded
    model.paper_with_state(450)  # back into a kept segment: read from memory, kept longest
    assert model.abstracts.kept == [3, 5, 4]
    model.paper_with_state(250)  # a fourth: the oldest goes
    assert model.abstracts.kept == [5, 4, 2]


def test_export_of_every_paper_has_every_abstract_and_keeps_no_segment(
    segmented: Library,
) -> None:
    expected = Library(segmented.root).papers_with_state()
    model = ReaderModel(segmented)
    views = model.papers_with_state(reversed(range(len(model.papers))))
    assert [v.paper for v in views] == [v.paper for v in reversed(expected)]
    assert model.abstracts.kept == []  # six segments asked for at once: read, then let go
    assert [v.paper.abstract for v in model.papers_with_state([7, 130])] == [
        expected[7].paper.abstract,
        expected[130].paper.abstract,
    ]
    assert model.abstracts.kept == [0, 1]


def test_a_segment_another_process_replaced_is_read_from_the_current_catalog(
    segmented: Library,
) -> None:
    model = ReaderModel(segmented)
    last = len(model.papers) - 1
    expected = Library(segmented.root).papers()[last].abstract
    old = segment_file(segmented, 5)
    other = Library(segmented.root)
    other.import_digests([("late", parse_text("Jun 9\nA Late Paper\nIts abstract.\n", "l.txt"))])
    assert not old.exists()  # rewritten under a new name, the old one deleted
    assert model.paper_with_state(last).paper.abstract == expected
    assert model.detail_abstract(last) == (expected, "")


def test_a_wrong_shaped_segment_is_one_line_naming_it_and_the_others_still_read(
    segmented: Library,
) -> None:
    expected = Library(segmented.root).papers()
    bad = segment_file(segmented, 0)
    bad.write_bytes(b'{"abstracts":[]}')
    model = ReaderModel(segmented)
    text, problem = model.detail_abstract(3)
    assert text == ""
    assert str(bad) in problem
    assert "\n" not in problem
    with pytest.raises(LibraryError, match="0000-"):
        model.papers_with_state([3, 150])
    assert model.paper_with_state(150).paper.abstract == expected[150].abstract
    assert bad.read_bytes() == b'{"abstracts":[]}'  # never overwritten


def test_the_scan_holds_every_abstract_only_until_the_index_is_in(segmented: Library) -> None:
    assert not index_path(segmented).exists()  # no index: the scan stands in until one is built
    model = ReaderModel(segmented)
    assert len(model.compute(ListingSpec(query="model")).order)
    assert model.abstracts_loaded
    model.load_index()
    assert model.index_ready
    assert not model.abstracts_loaded
    assert model.abstracts.kept == []


def test_an_index_built_without_an_unreadable_segment_is_not_saved(segmented: Library) -> None:
    bad = segment_file(segmented, 0)
    bad.write_bytes(b'{"abstracts":[]}')
    model = ReaderModel(segmented)
    model.load_index()
    assert model.index_ready  # titles still search
    assert str(bad) in model.abstracts_problem
    assert not index_path(segmented).exists()  # else trusted, abstracts missing, until a write
    bad.unlink()  # the user restores it from a backup
    (segmented.root / "abstracts" / bad.name).write_bytes(b"{}")  # (here: an empty one)
    fresh = ReaderModel(Library(segmented.root))
    fresh.load_index()
    assert index_path(segmented).exists()  # readable again: built whole and saved
