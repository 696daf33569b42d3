"""ListingSpec's own transitions, without Textual."""

from __future__ import annotations

import numpy as np

from digestreader.reader.listing import ListingSpec, Sort, row_of


def test_s_cycles_the_saved_sort_without_relevance() -> None:
    spec, seen = ListingSpec(sort=Sort.DIGEST), []
    for _ in range(len(Sort) - 1):
        spec = spec.next_sort()
        seen.append(spec.sort)
    assert seen == [*list(Sort)[2:], Sort.DIGEST]
    assert spec.filter_sort is Sort.RELEVANCE  # untouched while not filtering


def test_s_while_filtering_changes_the_filters_order_and_keeps_the_saved_sort() -> None:
    spec = ListingSpec(query="diffusion", sort=Sort.TITLE).next_sort()
    assert (spec.filter_sort, spec.sort) == (Sort.DIGEST, Sort.TITLE)
    assert spec.effective_sort is Sort.DIGEST
    flags_only = ListingSpec(query="is:marked", sort=Sort.TITLE).next_sort()  # no words: no rank
    assert (flags_only.sort, flags_only.filter_sort) == (Sort.SEEN, Sort.RELEVANCE)


def test_row_of_finds_a_paper_in_a_range_and_in_an_array() -> None:
    assert row_of(range(5), 3) == 3
    assert row_of(range(5), 7) is None
    assert row_of(range(0), 0) is None
    shown = np.asarray([4, 2, 9], np.int32)
    assert row_of(shown, 9) == 2
    assert row_of(shown, 3) is None
