"""One daily page into a library: only what the page touches is read, and what is written is
what the full read-modify-write writes, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from digestreader.ingest.hf import parse_hf_bytes
from digestreader.ingest.parser import parse_text
from digestreader.ingest.sources import parse_sources
from digestreader.library import Library, LibraryError
from digestreader.library.importing import import_into, import_whole
from digestreader.models import Digest
from digestreader.store import corpus as corpus_store
from digestreader.store.corpus import CorpusStore
from digestreader.store.corpus_daily import open_daily
from digestreader.store.documents import ImportResult
from digestreader.store.files import locked_store
from digestreader.store.idtable import (
    IDS_FILE,
    IdTable,
    corpus_stamp,
    find_spans,
    serialize_corpus,
    write_table,
)
from tests.hf_data import DAY_15, DAY_16, SAMPLE_000, dump, items

NOW = "2026-11-24T01:00:00+00:00"
Parsed = list[tuple[str, Digest]]


def _text_page(name: str, lines: list[str]) -> Parsed:
    return [(name, parse_text("\n".join(["Jun 9", *lines, ""]), name))]


def _repeats_page(samples: list[Path]) -> Parsed:
    """Ten papers of sample 000 seen again, and two new ones."""
    known = samples[0].read_text().splitlines()[4:24]
    fresh = ["A Paper Nobody Saw Before", "Its abstract.", "Another New One", "And its text."]
    return _text_page("repeats", [*known, *fresh])


def _more_upvotes() -> Parsed:
    """The day of DAY_16 fetched again later: the same papers with more upvotes."""
    data = items(DAY_16)
    for item in data:
        item["paper"]["upvotes"] = int(item["paper"].get("upvotes") or 0) + 7
    return [("2026-04-16", parse_hf_bytes(dump(data), "2026-04-16.json"))]


def _full_import(store: CorpusStore, parsed: Parsed) -> ImportResult:
    """Today's whole read-modify-write: the reference."""
    with locked_store(store):
        return import_whole(store, parsed, NOW)


def _spliced_import(store: CorpusStore, parsed: Parsed) -> ImportResult:
    assert open_daily(store) is not None, "the id table should carry this import"
    with locked_store(store):
        return import_into(store, parsed, NOW)


def _counts(result: ImportResult) -> tuple[object, ...]:
    return (
        result.new,
        result.updated,
        result.duplicate,
        result.entries,
        result.repeats,
        result.per_digest,
        result.digests,
        result.known_digests,
        result.warnings,
        result.refilled,
    )


def _renamed(data: bytes, revision: str) -> bytes:
    return data.replace(revision.encode(), b"<revision>").replace(revision[:12].encode(), b"<rev>")


def _library(tmp_path: Path, pages: list[str]) -> Path:
    root = tmp_path / "lib"
    Library(root).import_digests(parse_sources(pages))
    return root


def _scenarios(samples: list[Path]) -> dict[str, tuple[list[str], Parsed]]:
    text = [str(p) for p in samples]
    return {
        "new-page": (text[:4], parse_sources(text[4:])),
        "repeats": (text, _repeats_page(samples)),
        "json-day-by-arxiv-id": ([*text, str(DAY_15)], parse_sources([str(DAY_16)])),
        "json-day-again": ([str(SAMPLE_000), str(DAY_16)], _more_upvotes()),
        "two-pages": (text[:2], parse_sources(text[2:])),
        "already-imported": (text, parse_sources(text[1:2])),
        "refill": (
            text[:1],
            _text_page("late", ["A Late Paper", "Its abstract.", "", "Jun 10", "A Late Paper"]),
        ),
        # The paper without its abstract came first: the refill is in the first segment, the
        # new paper at the end.
        "refill-early": (
            text[:2],
            _text_page("late", ["A Late Paper", "Its abstract.", "Fresh Paper", "Its text."]),
        ),
    }


SCENARIOS = [
    "new-page",
    "repeats",
    "json-day-by-arxiv-id",
    "json-day-again",
    "two-pages",
    "already-imported",
    "refill",
    "refill-early",
]


@pytest.mark.parametrize("segment_papers", [corpus_store.SEGMENT_PAPERS, 100])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_spliced_import_writes_what_the_full_import_writes(
    tmp_path: Path,
    samples: list[Path],
    scenario: str,
    segment_papers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With 100 papers a segment the samples span several: new papers spill into a new segment,
    # a refill lands in an earlier one, and one import dirties more than one.
    monkeypatch.setattr(corpus_store, "SEGMENT_PAPERS", segment_papers)
    pages, parsed = _scenarios(samples)[scenario]
    early = _text_page("early", ["Intro", "x", "", "A Late Paper"])
    if scenario == "refill-early":
        Library(tmp_path / "lib").import_digests(early)
    root = _library(tmp_path, pages)
    if scenario == "refill":  # a paper kept without its abstract, filled by a later page
        Library(root).import_digests(early)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    segments_before = sorted(p.name for p in (root / "abstracts").iterdir())
    spliced = _spliced_import(CorpusStore(root), parsed)
    full = _full_import(CorpusStore(copy), parsed)
    assert _counts(spliced) == _counts(full)
    if scenario.startswith("refill"):
        assert spliced.refilled
        assert spliced.added
        assert spliced.added.refilled
    if not full.changed:
        assert spliced.revisions is None
        return
    assert spliced.revisions
    assert full.revisions
    ours, theirs = spliced.revisions[1], full.revisions[1]
    corpus = (root / "corpus.json").read_bytes()
    assert _renamed(corpus, ours) == _renamed((copy / "corpus.json").read_bytes(), theirs)
    ours_segments = sorted((root / "abstracts").iterdir())
    theirs_segments = sorted((copy / "abstracts").iterdir())
    assert [_renamed(p.name.encode(), ours) for p in ours_segments] == [
        _renamed(p.name.encode(), theirs) for p in theirs_segments
    ]
    for mine, other in zip(ours_segments, theirs_segments, strict=True):
        assert mine.read_bytes() == other.read_bytes(), mine.name
    table = IdTable.from_bytes((root / IDS_FILE).read_bytes())
    reference = IdTable.from_bytes((copy / IDS_FILE).read_bytes())
    assert table is not None
    assert reference is not None
    assert table.stamp == corpus_stamp(root / "corpus.json")
    assert table.revision == ours
    assert (table.keys[:], table.positions, table.starts, table.lengths) == (
        reference.keys[:],
        reference.positions,
        reference.starts,
        reference.lengths,
    )
    assert table.segments == tuple(p.name for p in ours_segments)
    if segment_papers == 100:
        dirty = [i for i, p in enumerate(ours_segments) if p.name not in segments_before]
        if scenario in ("new-page", "two-pages"):  # spilled into new segments, several dirty
            assert len(ours_segments) > len(segments_before) > 1
            assert len(dirty) > 1
        if scenario == "refill-early":  # the refill in the first segment, the new paper last
            assert dirty == [0, len(ours_segments) - 1]
    # And the file is what a full serialization of what it holds writes.
    store = CorpusStore(root)
    papers, digests = store.read_docs()
    meta = {"1": {"schema": 3, "revision": ours, "segments": list(table.segments)}}
    slim = {str(k): {n: v for n, v in d.items() if n != "abstract"} for k, d in papers.items()}
    tables, _ = serialize_corpus(meta, {str(k): v for k, v in digests.items()}, slim)
    assert orjson.dumps(tables) == corpus


def test_a_daily_import_parses_no_catalog(sample_library: Library, samples: list[Path]) -> None:
    fresh = Library(sample_library.root)
    result = fresh.import_digests(_repeats_page(samples))
    assert (result.new, result.repeats) == (2, 10)
    assert fresh.corpus_store._catalog is None, "the import parsed the whole catalog"
    assert fresh.corpus_store._lazy is None
    again = Library(sample_library.root)
    assert len(again.papers()) == 563
    assert again.get(again.papers()[-1].id).paper.abstract == "And its text."


def test_a_daily_import_reads_only_the_segments_it_needs(
    library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_store, "SEGMENT_PAPERS", 100)
    library.import_digests(parse_sources([str(p) for p in samples]))
    folder = library.corpus_store.abstracts_dir
    first = sorted(folder.iterdir())[0]
    first.write_bytes(b"not read by an import that adds papers at the end")
    result = Library(library.root).import_digests(
        _text_page("late", ["A Late Paper", "Its abstract."])
    )
    assert result.new == 1
    assert first.read_bytes().startswith(b"not read"), "an untouched segment was rewritten"


def _point_table_at(root: Path, edit: bytes, into: bytes) -> None:
    """Edit corpus.json's bytes, then give it a table that is current for the edited file (as
    a rebuild would, were the catalog well shaped)."""
    path = root / "corpus.json"
    raw = path.read_bytes()
    assert raw.count(edit) >= 1
    raw = raw.replace(edit, into, 1)
    path.write_bytes(raw)
    data = orjson.loads(raw)
    docs = list(data["papers"].values())
    old = IdTable.from_bytes((root / IDS_FILE).read_bytes())
    assert old is not None
    stamp = corpus_stamp(path)
    assert stamp is not None
    table = IdTable.build(
        stamp,
        old.revision,
        old.segments,
        old.segment_papers,
        [str(d["id"]) for d in docs],
        find_spans(raw, docs),
    )
    assert write_table(root / IDS_FILE, table)


@pytest.mark.parametrize("touched", [True, False], ids=["touched", "untouched"])
def test_a_wrong_shaped_document_is_one_line_and_left_alone(
    sample_library: Library, samples: list[Path], touched: bool
) -> None:
    # The spliced write copies untouched documents verbatim: it must check them all first.
    root = sample_library.root
    title = samples[0].read_text().splitlines()[4]
    _point_table_at(root, b'"title":' + orjson.dumps(title), b'"title":12345')
    before = (root / "corpus.json").read_bytes()
    seen = title if touched else "A Brand New Paper"
    with pytest.raises(LibraryError) as caught:
        Library(root).import_digests(_text_page("page", [seen, "Its abstract."]))
    assert "corpus.json" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert (root / "corpus.json").read_bytes() == before


def test_a_table_whose_spans_do_not_hold_their_keys_is_not_trusted(
    tmp_path: Path, samples: list[Path]
) -> None:
    root = _library(tmp_path, [str(p) for p in samples[:4]])
    table = IdTable.from_bytes((root / IDS_FILE).read_bytes())
    assert table is not None
    table.starts[0], table.starts[1] = table.starts[1], table.starts[0]
    assert write_table(root / IDS_FILE, table)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    parsed = parse_sources([str(samples[4])])
    assert open_daily(CorpusStore(root)) is None
    with locked_store(CorpusStore(root)):
        result = import_into(CorpusStore(root), parsed, NOW)
    full = _full_import(CorpusStore(copy), parsed)
    assert _counts(result) == _counts(full)
    assert result.added is None  # the full path
    assert result.revisions
    assert full.revisions
    assert _renamed((root / "corpus.json").read_bytes(), result.revisions[1]) == _renamed(
        (copy / "corpus.json").read_bytes(), full.revisions[1]
    )
