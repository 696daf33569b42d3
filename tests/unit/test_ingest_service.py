"""The one import path: digests and exports in one batch, and the saved index after it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digestreader.export.jsonio import from_json, to_json
from digestreader.ingest.indexing import index_path, load_index, refresh_index
from digestreader.ingest.parser import ParseError, parse_text
from digestreader.ingest.service import ingest, ingest_digests
from digestreader.ingest.sources import Inputs, load_inputs, parse_sources
from digestreader.library import Library
from digestreader.models import Paper, PaperWithState, Sighting, UserState, paper_id
from digestreader.search.index import FIELDS

STAMP = "2026-04-01T09:00:00+00:00"


def assert_saved_index_is_current(library: Library) -> None:
    catalog = library.catalog()
    saved = load_index(index_path(library), catalog.revision, len(catalog.docs))
    assert saved is not None, "the saved index is stale: the reader would rebuild it"
    full, _ = refresh_index(library)
    for name in FIELDS:
        assert saved.fields[name].vocabulary == full.fields[name].vocabulary
        assert np.array_equal(saved.fields[name].offsets, full.fields[name].offsets)


def test_a_page_and_an_export_in_one_batch_leave_a_current_index(
    library: Library, samples: list[Path]
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples[:2]]))
    title = "A Restored Paper About Quokkaform Lattices"
    paper = Paper(paper_id(title), title, "Only in the backup.", (Sighting("old", None, 1),), "x")
    state = UserState(marked=True, note="keep", marked_at=STAMP, note_at=STAMP)
    backup = to_json([PaperWithState(paper, state)])
    inputs = Inputs(
        digests=[("page", parse_text("Jun 2\nA Page Paper\nIts abstract.\n", "page.txt"))],
        exports=from_json(backup.encode(), "backup.json"),
    )
    report = ingest(library, inputs)
    assert (report.imported.new, report.exported_papers) == (1, 1)
    assert report.restored is not None
    assert report.restored.updated == 1
    assert report.changed
    assert not report.warnings
    assert_saved_index_is_current(library)
    assert library.get(paper.id).state.note == "keep"


def test_a_lone_import_extends_the_saved_index(library: Library, samples: list[Path]) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples[:3]]))
    report = ingest_digests(library, parse_sources([str(p) for p in samples[3:]]))
    assert report.imported.new > 0
    assert_saved_index_is_current(library)


def test_nothing_new_writes_nothing(sample_library: Library, samples: list[Path]) -> None:
    before = sample_library.catalog().revision
    report = ingest_digests(sample_library, parse_sources([str(p) for p in samples]))
    assert not report.changed
    assert sample_library.catalog().revision == before


def stored_corpus(library: Library) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Papers (with abstracts) and digests, import times set aside: they differ by the clock."""
    catalog = library.catalog()
    papers = [
        {**doc, "first_seen": None, "abstract": text}
        for doc, text in zip(catalog.docs, library.abstracts(catalog), strict=True)
    ]
    return papers, [{**d, "imported_at": None} for d in catalog.digests]


def test_a_streamed_import_makes_the_same_library(tmp_path: Path, samples: list[Path]) -> None:
    names = [str(p) for p in samples]
    eager = Library(tmp_path / "eager")
    ingest_digests(eager, parse_sources(names))
    streamed = Library(tmp_path / "streamed")
    inputs = load_inputs(names)
    assert inputs.pages == names  # nothing parsed yet: the import parses page by page
    assert not inputs.digests
    report = ingest(streamed, inputs)
    assert report.imported.new == len(eager.catalog().docs) > 500
    assert stored_corpus(streamed) == stored_corpus(eager)
    saved = {
        lib: load_index(index_path(lib), lib.catalog().revision, report.imported.new)
        for lib in (eager, streamed)
    }
    for name in FIELDS:
        a, b = saved[eager], saved[streamed]
        assert a is not None
        assert b is not None
        assert a.fields[name].vocabulary == b.fields[name].vocabulary
        assert np.array_equal(a.fields[name].postings, b.fields[name].postings)
    assert_saved_index_is_current(streamed)


def test_a_bad_page_late_in_a_stream_writes_nothing(
    sample_library: Library, samples: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Jun 3\n\n\n")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("Jun 2\nA Page Paper Nobody Imported\nIts abstract.\n")
    corpus_before = sample_library.corpus_path.read_bytes()
    inputs = load_inputs([str(fresh), str(bad)])
    with pytest.raises(ParseError):
        ingest(sample_library, inputs)
    assert sample_library.corpus_path.read_bytes() == corpus_before


def test_a_bad_page_in_a_first_import_leaves_no_library(
    samples: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Jun 3\n\n\n")
    root = tmp_path / "new-library"
    with pytest.raises(ParseError):
        ingest(Library(root), load_inputs([str(samples[0]), str(bad)]))
    assert not root.exists()
