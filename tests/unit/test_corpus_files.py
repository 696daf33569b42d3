"""The corpus split into catalog and abstract shards, crash ordering, old schema, index cache."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

from digestreader.ingest.indexing import index_path, load_index, refresh_index, update_index
from digestreader.ingest.parser import parse_text
from digestreader.ingest.sources import parse_sources
from digestreader.library import Library
from digestreader.models import paper_id
from digestreader.reader.model import ReaderModel
from digestreader.search import parse_query, search
from digestreader.search.build import build_postings, merge_postings
from digestreader.search.index import FIELDS
from digestreader.store import corpus as corpus_store
from digestreader.store import files as storage
from digestreader.store.documents import doc_id_of


def stored_abstracts(library: Library) -> dict[str, Any]:
    """Every shard's abstracts table, merged."""
    merged: dict[str, Any] = {}
    for shard in sorted(library.corpus_store.abstracts_dir.iterdir()):
        merged |= orjson.loads(shard.read_bytes())["abstracts"]
    return merged


def test_abstracts_live_apart_from_the_catalog(sample_library: Library) -> None:
    corpus = orjson.loads(sample_library.corpus_path.read_bytes())
    assert all("abstract" not in doc for doc in corpus["papers"].values())
    abstracts = stored_abstracts(sample_library)
    assert abstracts.keys() == corpus["papers"].keys()
    segments = sorted(p.name for p in sample_library.corpus_store.abstracts_dir.iterdir())
    expected = -(-len(corpus["papers"]) // corpus_store.SEGMENT_PAPERS)
    assert segments == corpus["meta"]["1"]["segments"]  # exactly the listed ones, in order
    assert [n[:4] for n in segments] == [f"{i:04d}" for i in range(expected)]
    papers = sample_library.papers()
    assert sum(bool(p.abstract) for p in papers) > 550
    assert corpus["meta"]["1"]["revision"]


def test_a_schema_1_library_with_inline_abstracts_still_reads(sample_library: Library) -> None:
    expected = {p.id: p.abstract for p in sample_library.papers()}
    corpus = orjson.loads(sample_library.corpus_path.read_bytes())
    texts = stored_abstracts(sample_library)
    for key, doc in corpus["papers"].items():
        doc["abstract"] = texts[key]["abstract"]
    corpus["meta"]["1"] = {"schema": 1}
    shutil.rmtree(sample_library.corpus_store.abstracts_dir)
    sample_library.corpus_path.write_bytes(orjson.dumps(corpus))
    old = Library(sample_library.root)
    assert {p.id: p.abstract for p in old.papers()} == expected
    old.import_digests([("more", parse_text("A Fresh Title\nIts abstract.\n", "more.txt"))])
    again = Library(sample_library.root)
    assert {p.id: p.abstract for p in again.papers()}.items() >= expected.items()
    assert stored_abstracts(sample_library).keys() == corpus["papers"].keys() | {
        str(doc_id_of(paper_id("A Fresh Title")))
    }


@pytest.mark.parametrize("dies_at", ["0000-", corpus_store.CORPUS_FILE])
def test_a_crash_at_either_write_leaves_a_consistent_library(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, dies_at: str
) -> None:
    before = {p.id: (p.abstract, len(p.sources)) for p in sample_library.papers()}
    corpus_bytes = sample_library.corpus_path.read_bytes()
    original = storage.AtomicJSONStorage.write

    def crash_on_corpus(self: storage.AtomicJSONStorage, data: dict[str, Any]) -> None:
        if self.path.name.startswith(dies_at):
            raise KeyboardInterrupt("power cut")
        original(self, data)

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", crash_on_corpus)
    text = "Crash Test Paper\nWritten half way.\n"
    with pytest.raises(KeyboardInterrupt):
        sample_library.import_digests([("crash", parse_text(text, "crash.txt"))])
    monkeypatch.undo()
    assert sample_library.corpus_path.read_bytes() == corpus_bytes
    fresh = Library(sample_library.root)
    assert {p.id: (p.abstract, len(p.sources)) for p in fresh.papers()} == before
    result = fresh.import_digests([("crash", parse_text(text, "crash.txt"))])
    assert result.new == 1
    assert fresh.get(fresh.papers()[-1].id).paper.abstract == "Written half way."


def test_import_saves_an_index_that_matches_a_fresh_build(sample_library: Library) -> None:
    assert update_index(sample_library) is None
    catalog = sample_library.catalog()
    saved = load_index(index_path(sample_library), catalog.revision, len(catalog.docs))
    assert saved is not None
    built, problem = refresh_index(sample_library)
    assert problem is None
    for name in FIELDS:
        assert saved.fields[name].vocabulary == built.fields[name].vocabulary
        assert np.array_equal(saved.fields[name].postings, built.fields[name].postings)
        assert np.array_equal(saved.fields[name].offsets, built.fields[name].offsets)


def test_a_stale_or_broken_index_is_rebuilt_not_trusted(sample_library: Library) -> None:
    refresh_index(sample_library)
    path = index_path(sample_library)
    old_revision = sample_library.catalog().revision
    sample_library.import_digests([("x", parse_text("Another Paper\nText.\n", "x.txt"))])
    catalog = sample_library.catalog()
    assert catalog.revision != old_revision
    assert load_index(path, catalog.revision, len(catalog.docs)) is None  # stale
    path.write_bytes(b"not a zip")
    assert load_index(path, catalog.revision, len(catalog.docs)) is None  # broken
    model = ReaderModel(sample_library)
    model.load_index()
    assert model.index_ready
    assert load_index(path, catalog.revision, len(catalog.docs)) is not None  # saved again


def test_browser_first_reads_only_the_catalog(sample_library: Library) -> None:
    model = ReaderModel(sample_library)
    assert not model.abstracts_loaded
    assert model.abstracts.kept == []  # no segment read to open
    assert model.paper_with_state(0).paper.abstract == sample_library.papers()[0].abstract
    assert model.abstracts.kept == [0]  # the one segment it is in


def test_export_views_carry_abstracts_even_before_the_reader_loaded_them(
    sample_library: Library,
) -> None:
    model = ReaderModel(sample_library)
    assert not model.abstracts_loaded
    views = model.papers_with_state([0, 1])
    assert [v.paper.abstract for v in views] == [p.abstract for p in sample_library.papers()[:2]]


def test_an_index_that_cannot_be_saved_is_a_warning_not_a_failure(
    sample_library: Library,
) -> None:
    index_path(sample_library).mkdir()  # a folder where the file goes: the rename must fail
    problem = update_index(sample_library)
    assert problem is not None
    assert problem.startswith("search index not saved")
    model = ReaderModel(sample_library)
    model.load_index()
    assert model.index_ready
    assert "rebuilt at each start" in model.index_warning


def test_an_import_extends_the_saved_index_to_what_a_full_build_gives(
    library: Library, samples: list[Path]
) -> None:
    bare = "Jun 2\nA Paper Seen First Without Abstract\n"
    refill = "Jun 3\nA Paper Seen First Without Abstract\nNow with zanzibarite crystals.\n"
    imports = [
        parse_sources([str(p) for p in samples[:3]]),
        [("bare", parse_text(bare, "bare.txt"))],
        parse_sources([str(p) for p in samples[3:]]),
        [("refill", parse_text(refill, "refill.txt"))],
    ]
    for parsed in imports:  # each import extends the index saved by the one before
        result = library.import_digests(parsed)
        assert update_index(library, result) is None
    assert result.refilled
    catalog = library.catalog()
    extended = load_index(index_path(library), catalog.revision, len(catalog.docs))
    assert extended is not None
    merged = extended.whole()  # the saved index and the tail of the last imports, if any
    full, _ = refresh_index(library)
    for name in FIELDS:
        mine, theirs = merged.fields[name], full.fields[name]
        assert mine.vocabulary == theirs.vocabulary
        assert np.array_equal(mine.offsets, theirs.offsets)
        for word in range(len(mine.vocabulary)):
            same = set(mine.docs_between(word, word + 1)) == set(
                theirs.docs_between(word, word + 1)
            )
            assert same, (name, mine.vocabulary[word])
    # The refilled (older) paper was appended to "with": only the extending path does that.
    with_block = merged.fields["abstract"].docs_between(
        *merged.fields["abstract"].exact_range("with")
    )
    assert np.any(np.diff(with_block) < 0)
    titles = [str(d["title"]) for d in catalog.docs]
    found = search(extended, parse_query("zanzibarite"), titles)
    assert [titles[i] for i in found.order] == ["A Paper Seen First Without Abstract"]


def test_merged_postings_equal_one_build_over_both_halves(samples: list[Path]) -> None:
    texts = [e.abstract for _, d in parse_sources([str(p) for p in samples]) for e in d.entries]
    half = len(texts) // 2
    old = build_postings(texts[:half])
    words, offsets, local = build_postings(texts[half:])
    merged = merge_postings(old, (words, offsets, local + half))
    whole = build_postings(texts)
    assert merged[0] == whole[0]
    assert merged[1].tolist() == whole[1].tolist()
    assert merged[2].tolist() == whole[2].tolist()


def test_an_import_rewrites_only_the_abstract_segments_it_touched(
    library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_store, "SEGMENT_PAPERS", 100)
    library.import_digests(parse_sources([str(p) for p in samples]))
    folder = library.corpus_store.abstracts_dir
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert len(before) == 6  # 561 papers
    text = "Jun 9\nA Late Paper\nIts abstract.\n"
    library.import_digests([("late", parse_text(text, "late.txt"))])
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    changed = [n for n in sorted(after) if after[n] != before.get(n)]
    assert len(changed) == 1, changed  # a new name
    assert changed[0].startswith("0005-"), changed  # a new name
    assert sorted(after.keys() - {changed[0]}) == sorted(before)[:5]  # the old 0005 is gone
    fresh = Library(library.root)
    assert fresh.get(fresh.papers()[-1].id).paper.abstract == "Its abstract."
    assert len(fresh.papers()) == 562
