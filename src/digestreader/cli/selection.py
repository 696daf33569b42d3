"""Which papers `list` and `export` print: the reader's engine on the saved index, states read
for the rows printed (or all of them, when a filter is on a state or the rows are many)."""

from __future__ import annotations

import sys

from digestreader.cli import PROG, CommandError
from digestreader.library import Library
from digestreader.models import PaperWithState


def select(
    lib: Library, query: str, marked: bool = False, unread: bool = False, limit: int | None = None
) -> list[PaperWithState]:
    """Papers matching a query and filters, ranked when the query has words.

    The same engine as the reader, on the index saved at import (so 50k papers answer in
    milliseconds); at most ``limit`` papers are built with their state and abstract.
    """
    from digestreader.reader.listing import ListingSpec, Sort
    from digestreader.reader.model import ReaderModel
    from digestreader.search.query import FILTERS, parse_query

    text = " ".join([query, "is:marked" if marked else "", "is:unread" if unread else ""])
    parsed = parse_query(text)
    if parsed.errors:
        known = ", ".join(FILTERS)
        raise CommandError(f"{'; '.join(parsed.errors)} (filters: {known})")
    model = ReaderModel(lib, states_later=True)  # those a filter or the rows need, read then
    if not model.load_catalog():  # else a wrong-shaped document would list as "no papers"
        raise CommandError(model.catalog_problem)
    if parsed.needs_text:
        model.load_index()
        if model.index_warning:
            print(f"{PROG}: warning: {model.index_warning}", file=sys.stderr)
    order = model.compute(ListingSpec(query=text, sort=Sort.RELEVANCE)).order
    views = model.papers_with_state(order[:limit] if limit is not None else order)
    if model.user.state_problems:  # the reader opens without them; a script gets no half answer
        raise CommandError(model.user.state_problems[0])
    return views
