"""What a list shows: one frozen :class:`ListingSpec` (query, scope, sort, digest).

The screen holds one, the filter thread receives it, :meth:`ReaderModel.compute` takes it and
the session saves it; an action changes one field with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias

from digestreader.search.query import parse_query

if TYPE_CHECKING:  # numpy loads after the first frame (see ReaderModel.compute)
    import numpy as np
    import numpy.typing as npt

    Order: TypeAlias = npt.NDArray[np.int32]
    # A list's paper indexes in row order: an array, or (the whole catalog in its own order,
    # the list a first frame usually shows) a range, which needs no numpy.
    Rows: TypeAlias = Order | range


class Scope(Enum):
    """Which papers a list shows, before any filter."""

    ALL = "all"
    MARKED = "marked"
    UNREAD = "unread"
    NEW = "new"  # first seen in the newest digest


class Sort(Enum):
    """List orders; relevance applies only while filtering."""

    RELEVANCE = "relevance"
    DIGEST = "digest order"
    NEWEST = "newest digest"
    TITLE = "title"
    SEEN = "most seen"
    UPVOTES = "most upvoted"


SCOPE_FILTERS = {
    Scope.ALL: "",
    Scope.MARKED: "is:marked",
    Scope.UNREAD: "is:unread",
    Scope.NEW: "is:new",
}


@dataclass(frozen=True)
class ListingSpec:
    """The four settings that decide a list: filter text, scope, sort and digest (None: all)."""

    query: str = ""
    scope: Scope = Scope.ALL
    sort: Sort = Sort.DIGEST  # the saved sort: the order whenever the query has no words
    digest: str | None = None
    filter_sort: Sort = Sort.RELEVANCE  # the order while the query has words (best match first)

    @cached_property
    def filtering(self) -> bool:
        """Whether the query has words to match (flags alone, like is:marked, do not rank)."""
        return bool(parse_query(self.query).highlight_words)

    @property
    def effective_sort(self) -> Sort:
        """The order the list is in: by relevance while filtering, else the saved sort."""
        return self.filter_sort if self.filtering else self.sort

    def next_sort(self) -> ListingSpec:
        """This listing in the next order ``s`` gives. While filtering, that is the filter's
        order (relevance first), and the saved sort is back when the filter is cleared; without
        a filter relevance means nothing, so it is skipped."""
        cycle = list(Sort) if self.filtering else list(Sort)[1:]
        current = self.effective_sort
        sort = cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]
        return replace(self, filter_sort=sort) if self.filtering else replace(self, sort=sort)

    @property
    def filter_text(self) -> str:
        """The query with the scope's filter appended, as the search engine reads it."""
        return f"{self.query} {SCOPE_FILTERS[self.scope]}".strip()

    def empty_message(self, digest_label: str = "") -> str:
        """What to say when this spec shows no paper, and how to get out of it (the digest
        in view is called ``digest_label``)."""
        where = f" in the {digest_label} digest" if self.digest else ""
        view = f" among the {self.scope.value} papers" if self.scope is not Scope.ALL else ""
        if self.query:
            ways = ["esc clears the filter"]
            ways += ["1 shows all papers"] if view else []
            ways += ["d picks another digest"] if where else []
            return f"No paper matches '{self.query}'{view}{where} - {', '.join(ways)}."
        if self.scope is Scope.MARKED:
            return f"No marked papers{where} yet - b marks a paper, 1 shows all."
        if self.scope is Scope.UNREAD:
            return f"Everything{where} is read - 1 shows all papers."
        if self.scope is Scope.NEW:
            return "No paper is new in the newest digest - 1 shows all papers."
        return "No papers - import a digest: i, or digestreader import FILE"

    def to_session(self) -> dict[str, Any]:
        """The fields as the saved session stores them."""
        return {
            "query": self.query,
            "scope": self.scope.value,
            "sort": self.sort.value,
            "digest": self.digest,
        }

    @classmethod
    def from_session(
        cls, session: Mapping[str, Any], default_sort: str, digests: Collection[str]
    ) -> ListingSpec:
        """The spec a saved session describes; a value that no longer applies (a digest since
        removed, an unknown scope or sort) falls back to the default."""
        scope_value = session.get("scope", session.get("view"))  # "view": sessions before 0.2
        scope = Scope(scope_value) if scope_value in {s.value for s in Scope} else Scope.ALL
        sort_value = session.get("sort", default_sort)
        sort = Sort(sort_value) if sort_value in {s.value for s in Sort} else Sort(default_sort)
        digest = session.get("digest")
        return cls(
            query=str(session.get("query", "")),
            scope=scope,
            sort=sort,
            digest=digest if digest in digests else None,
        )


@dataclass(frozen=True)
class Listing:
    """One computed list: paper indexes in display order, and the spec that produced them.

    ``generation`` tells a listing from an older one of the same spec (the filter thread
    numbers requests, so a result that arrives after a newer request is dropped)."""

    order: Rows
    spec: ListingSpec
    generation: int = 0


def row_of(rows: Rows, index: int) -> int | None:
    """The row that shows paper ``index`` in ``rows``, or None when it is not shown."""
    if isinstance(rows, range):
        return rows.index(index) if index in rows else None
    hits = (rows == index).nonzero()[0]
    return int(hits[0]) if len(hits) else None
