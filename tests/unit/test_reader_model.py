"""The reader's model without Textual: compute() over sorts, scopes, digests and flags."""

from __future__ import annotations

from dataclasses import replace

import pytest

from digestreader.library import Library
from digestreader.reader.lazy_papers import LazyPapers
from digestreader.reader.listing import ListingSpec, Scope, Sort
from digestreader.reader.model import ReaderModel
from digestreader.store.lazy_catalog import LazyDocs


@pytest.fixture
def model(sample_library: Library) -> ReaderModel:
    return ReaderModel(sample_library)


def titles(model: ReaderModel, spec: ListingSpec) -> list[str]:
    return [model.titles[int(i)] for i in model.compute(spec).order]


@pytest.mark.parametrize(
    "spec",
    [
        ListingSpec(),
        ListingSpec(query="   "),
        ListingSpec(query="is:nothing"),  # an unknown filter is ignored (and said)
        ListingSpec(sort=Sort.RELEVANCE),  # relevance without words: the catalog's order
    ],
)
def test_the_whole_catalog_in_its_order_is_a_range_equal_to_the_engines_listing(
    model: ReaderModel, spec: ListingSpec
) -> None:
    assert ReaderModel.shows_everything(spec)
    shown = model.compute(spec).order
    assert isinstance(shown, range)  # no numpy for the usual first frame
    assert list(shown) == [int(i) for i in model.search_side.compute(spec, 0).order]


@pytest.mark.parametrize(
    "spec",
    [
        ListingSpec(query="model"),
        ListingSpec(scope=Scope.UNREAD),
        ListingSpec(scope=Scope.NEW),
        ListingSpec(sort=Sort.NEWEST),
        ListingSpec(query="!model"),
    ],
)
def test_a_listing_that_filters_or_sorts_is_the_engines(
    model: ReaderModel, spec: ListingSpec
) -> None:
    assert not ReaderModel.shows_everything(spec)
    assert not isinstance(model.compute(spec).order, range)


def test_a_listing_in_one_digest_is_the_engines(model: ReaderModel) -> None:
    spec = ListingSpec(digest=model.digest_names[0])
    assert not ReaderModel.shows_everything(spec)
    assert len(model.compute(spec).order) < len(model.papers)


def test_every_sort_lists_every_paper_once(model: ReaderModel) -> None:
    for sort in Sort:
        order = model.compute(ListingSpec(sort=sort)).order
        assert sorted(int(i) for i in order) == list(range(len(model.papers))), sort


def test_title_sort_is_case_blind_alphabetical(model: ReaderModel) -> None:
    got = titles(model, ListingSpec(sort=Sort.TITLE))
    assert got == sorted(got, key=str.casefold)


def test_most_seen_sort_puts_repeats_first(model: ReaderModel) -> None:
    order = model.compute(ListingSpec(sort=Sort.SEEN)).order
    seen = [len(model.papers[int(i)].sources) for i in order]
    assert seen == sorted(seen, reverse=True)
    assert seen[0] > 1


def test_newest_digest_sort_starts_with_the_last_digest(model: ReaderModel) -> None:
    order = model.compute(ListingSpec(sort=Sort.NEWEST)).order
    newest = model.digest_names[-1]
    first = model.papers[int(order[0])]
    assert newest in {s.digest for s in first.sources}


def test_a_digest_shows_only_its_papers(model: ReaderModel) -> None:
    digest = model.digest_names[1]
    order = model.compute(ListingSpec(digest=digest)).order
    assert 0 < len(order) < len(model.papers)
    assert all(digest in {s.digest for s in model.papers[int(i)].sources} for i in order)


def test_scopes_follow_the_users_flags(model: ReaderModel) -> None:
    assert len(model.compute(ListingSpec(scope=Scope.MARKED)).order) == 0
    model.user.toggle_marked(3)
    model.user.toggle_marked(7)
    assert list(model.compute(ListingSpec(scope=Scope.MARKED)).order) == [3, 7]
    unread = len(model.compute(ListingSpec(scope=Scope.UNREAD)).order)
    assert model.user.set_read([3, 4, 5]) == 3
    assert len(model.compute(ListingSpec(scope=Scope.UNREAD)).order) == unread - 3


def test_relevance_ranks_title_matches_first(model: ReaderModel) -> None:
    spec = ListingSpec(query="reinforcement learning", sort=Sort.RELEVANCE)
    got = titles(model, spec)
    assert got
    assert "reinforcement" in got[0].casefold()
    unranked = titles(model, ListingSpec(query="reinforcement learning", sort=Sort.DIGEST))
    assert sorted(got) == sorted(unranked)


def test_a_saved_session_gives_back_its_spec() -> None:
    spec = ListingSpec("diffusion", Scope.UNREAD, Sort.TITLE, "d2")
    assert ListingSpec.from_session(spec.to_session(), "digest order", ["d1", "d2"]) == spec


def test_an_old_or_stale_session_falls_back_field_by_field() -> None:
    old = {"query": "x", "view": "marked", "sort": "no such sort", "digest": "gone"}
    spec = ListingSpec.from_session(old, "title", ["d1"])
    assert spec == ListingSpec("x", Scope.MARKED, Sort.TITLE, None)


def test_states_later_lists_without_states_and_takes_early_writes_over_the_load(
    sample_library: Library,
) -> None:
    """The reader's first listing needs no state; a paper's true state is read from its shard
    before the load, and a change taken before the load wins over what the load reads."""
    a, b, c = (p.id for p in sample_library.papers()[:3])
    sample_library.set_marked([a, b])
    sample_library.set_note(c, "kept")
    model = ReaderModel(Library(sample_library.root), states_later=True)
    everything = model.compute(ListingSpec()).order
    assert len(everything) == len(model.papers)
    assert not model.user.states_loaded
    assert model.user.counts() == {"total": len(model.papers)}
    assert model.user.state(0).marked  # read from its shard, not from the (empty) loaded states
    assert not model.paper_with_state(0, with_abstract=False).state.marked  # a row: no marker
    assert model.paper_with_state(0).state.marked  # the detail: the true state
    assert not model.user.toggle_marked(0)  # acts on the true state: unmarks
    model.user.load_states()
    assert model.user.states_loaded
    assert not model.user.state(0).marked
    assert model.user.state(1).marked
    assert model.user.state(2).note == "kept"
    assert model.user.counts()["marked"] == 1
    marked = model.compute(ListingSpec(query="is:marked")).order
    assert [int(i) for i in marked] == [1]


def test_a_flag_query_loads_the_states_first(sample_library: Library) -> None:
    sample_library.set_marked([sample_library.papers()[5].id])
    model = ReaderModel(Library(sample_library.root), states_later=True)
    assert [int(i) for i in model.compute(ListingSpec(query="is:marked")).order] == [5]
    assert model.user.states_loaded


def test_the_first_listing_parses_only_the_first_screen(sample_library: Library) -> None:
    """No session paper, a session paper, the first listing and forty rows: the catalog's
    documents stay unparsed but for those rows (the reader's first frame at 50k papers)."""
    pid = sample_library.papers()[100].id
    model = ReaderModel(Library(sample_library.root))
    docs = model.catalog.docs
    assert isinstance(docs, LazyDocs)
    assert model.index_of("None") is None
    assert model.index_of(pid) == 100
    order = model.compute(ListingSpec()).order
    rows = [model.paper_with_state(int(i), with_abstract=False) for i in order[:40]]
    assert [r.paper.id for r in rows] == [p.id for p in sample_library.papers()[:40]]
    assert model.handle(100) == sample_library.handle(pid)
    assert not docs.loaded
    assert model.load_catalog()
    assert docs.loaded
    assert model.index_of(pid) == 100


def test_papers_stay_made_only_a_few_thousand_at_a_time(sample_library: Library) -> None:
    model = ReaderModel(sample_library)
    papers = LazyPapers(model.catalog.docs, keep=100)
    expected = [replace(p, abstract="") for p in sample_library.papers()]  # made without
    assert [papers[i] for i in range(len(papers))] == expected  # every one, made on demand
    assert papers.made == 100  # the last made; the others made again if asked for
    assert papers[0] == expected[0]
    assert papers.id_of(5) == expected[5].id
    model.user.set_read(range(len(model.papers)))  # mark all read: ids, no paper made
    assert model.papers.made == 0


def test_the_loaded_catalog_keeps_one_string_per_repeated_value(sample_library: Library) -> None:
    docs = ReaderModel(Library(sample_library.root)).catalog.docs  # as a reader opens it
    assert isinstance(docs, LazyDocs)
    docs.load()
    by_digest: dict[str, list[str]] = {}
    for doc in docs:
        for sighting in doc["sources"]:
            by_digest.setdefault(sighting["digest"], []).append(sighting["digest"])
    assert len(by_digest) == 5
    for names in by_digest.values():
        assert all(name is names[0] for name in names)  # one object: JSON made one each
    firsts = [doc["first_seen"] for doc in docs]
    assert all(first is firsts[0] for first in firsts)  # one import: one time
    assert list(docs) == list(Library(sample_library.root).catalog().docs)


def test_the_index_worker_leaves_the_titles_ready_for_the_first_ranked_filter(
    sample_library: Library,
) -> None:
    # Ranking a filter reads titles; listed from 200k parsed documents they were ~40 ms of
    # the first keystroke after the start. The worker that loads the index lists them too.
    ReaderModel(sample_library).load_index()  # built and saved
    model = ReaderModel(Library(sample_library.root))
    model.load_index()  # the saved one: no titles needed to read it
    assert model.index_ready
    assert "titles" in model.__dict__
