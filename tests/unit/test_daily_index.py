"""A daily import extends the saved search index by a tail, not by rewriting it: the index read
back (index.npz with its tail) answers every query as a full build over the corpus does."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import orjson
import pytest

from digestreader.ingest import index_tail
from digestreader.ingest.indexing import index_path, read_index, update_index
from digestreader.ingest.parser import parse_text
from digestreader.ingest.service import ingest_digests
from digestreader.ingest.sources import parse_sources
from digestreader.library import Library, LibraryError
from digestreader.models import Digest
from digestreader.search.index import FIELDS, SearchIndex


def _page(name: str, lines: list[str]) -> list[tuple[str, Digest]]:
    return [(name, parse_text("\n".join(["Jun 9", *lines, ""]), name))]


def _daily(samples: list[Path], n: int) -> list[str]:
    """Day ``n``: two new papers and two papers of sample 000 seen again."""
    known = samples[0].read_text().splitlines()[4 + 4 * n : 8 + 4 * n]
    fresh = [f"Sparse Quokka Routing {n}", f"We route quokkas{n}.", f"Paper{n} Two", "Text."]
    return [*known, *fresh]


def _agree(library: Library, index: SearchIndex) -> None:
    """300 random queries (prefixes, exact words and typos, on every field) answer alike."""
    catalog = library.catalog()
    full = SearchIndex.build([str(d["title"]) for d in catalog.docs], library.abstracts(catalog))
    assert index.size == full.size
    rng = random.Random(15)
    words = sorted({w for f in FIELDS for w in full.fields[f].vocabulary})
    for word in rng.sample(words, 300):
        for field in FIELDS:
            prefix = word[: rng.randint(1, len(word))]
            assert np.array_equal(index.prefix(field, prefix), full.prefix(field, prefix)), prefix
            assert np.array_equal(index.exact(field, word), full.exact(field, word)), word
        typo = word[:-1] + "q" if len(word) > 5 else word
        assert np.array_equal(index.typo(typo), full.typo(typo)), typo


def _saved(library: Library) -> SearchIndex:
    catalog = Library(library.root).catalog()
    index, problem = read_index(index_path(library), catalog.revision, len(catalog.docs))
    assert problem == ""
    assert index is not None, "the saved index (with its tail) was not used"
    return index


def test_daily_imports_write_a_tail_and_leave_the_index_alone(
    library: Library, samples: list[Path]
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    before = index_path(library).read_bytes()
    for day in range(3):
        report = ingest_digests(Library(library.root), _page(f"day{day}", _daily(samples, day)))
        assert (report.imported.new, report.imported.repeats) == (2, 2)
        assert not report.warnings
        assert index_path(library).read_bytes() == before, "the whole index was rewritten"
        assert index_tail.tail_path(index_path(library)).is_file()
        _agree(Library(library.root), _saved(library))


def test_a_tail_that_grew_long_is_merged_into_the_index(
    library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    ingest_digests(Library(library.root), _page("day0", _daily(samples, 0)))
    before = index_path(library).read_bytes()
    monkeypatch.setattr(index_tail, "COMPACT_RATIO", 10_000)
    ingest_digests(Library(library.root), _page("day1", _daily(samples, 1)))
    assert index_path(library).read_bytes() != before
    catalog = Library(library.root).catalog()
    # index.npz alone is the current index now: the tail it absorbed is gone
    assert not index_tail.tail_path(index_path(library)).exists()
    index, _ = read_index(index_path(library), catalog.revision, len(catalog.docs))
    assert index is not None
    _agree(Library(library.root), index)


def test_a_refilled_abstract_is_found_through_the_tail(
    library: Library, samples: list[Path]
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    ingest_digests(Library(library.root), _page("early", ["Intro Paper", "x", "", "Late Quokka"]))
    report = ingest_digests(Library(library.root), _page("late", ["Late Quokka", "Zyzzyva42."]))
    assert report.imported.refilled
    index = _saved(library)
    assert index.exact("abstract", "zyzzyva42").sum() == 1
    _agree(Library(library.root), index)


def test_the_reader_loads_index_and_tail_without_merging_them(
    library: Library, samples: list[Path]
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    ingest_digests(Library(library.root), _page("day0", _daily(samples, 0)))
    with np.load(index_path(library)) as saved:
        postings = len(saved["abstract.postings"])
    index = _saved(library)
    # no pass over every posting at load (0.2 s at 50k papers): the saved arrays as they are
    assert len(index.fields["abstract"].postings) == postings
    assert index.exact("abstract", "quokkas0").sum() == 1
    _agree(Library(library.root), index)


@pytest.mark.parametrize("compact", [False, True], ids=["tail", "whole"])
def test_either_index_write_cleans_what_a_killed_one_left(
    library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch, compact: bool
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    ingest_digests(Library(library.root), _page("day0", _daily(samples, 0)))
    left = [library.root / ".index.npz.0badf00d.tmp", library.root / ".index-tail.npz.k1ll.tmp"]
    for path in left:
        path.write_bytes(b"half")
    if compact:
        monkeypatch.setattr(index_tail, "COMPACT_RATIO", 10_000)
    before = index_path(library).read_bytes()
    ingest_digests(Library(library.root), _page("day1", _daily(samples, 1)))
    assert (index_path(library).read_bytes() != before) == compact
    assert not [p.name for p in left if p.exists()]


@pytest.mark.parametrize("damage", ["garbage", "other-base"])
def test_a_tail_that_does_not_fit_is_not_trusted(
    library: Library, samples: list[Path], damage: str
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    ingest_digests(Library(library.root), _page("day0", _daily(samples, 0)))
    tail = index_tail.tail_path(index_path(library))
    if damage == "garbage":
        tail.write_bytes(b"PK not a zip")
    else:
        saved = index_tail.read_tail(tail)
        assert saved is not None
        index_tail.save_tail(
            index_tail.Tail("0" * 32, saved.base_size, saved.revision, saved.size, saved.fields),
            tail,
        )
    catalog = Library(library.root).catalog()
    index, _ = read_index(index_path(library), catalog.revision, len(catalog.docs))
    assert index is None, "a tail that does not extend this index was trusted"


def test_a_corpus_rewritten_before_the_index_update_is_one_line(
    library: Library, samples: list[Path]
) -> None:
    ingest_digests(library, parse_sources([str(p) for p in samples]))
    result = library.import_digests(_page("new", ["A Brand New Paper", "Its abstract."]))
    # Meanwhile a newer digestreader rewrites corpus.json with a schema this one cannot read.
    path = library.corpus_path
    data = orjson.loads(path.read_bytes())
    data["meta"]["1"]["schema"] = 9
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(LibraryError) as caught:
        update_index(library, result)
    assert "corpus.json" in str(caught.value)
    assert "\n" not in str(caught.value)
