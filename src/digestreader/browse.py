"""The reader's model without Textual: which papers are shown, in what order, and user actions.

The UI asks :meth:`Browser.compute` for an order (in a worker thread), shows it, and sends every
user action back here; this class writes through the library at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt

from digestreader.library import Library
from digestreader.models import Paper, PaperView, UserState
from digestreader.search import SearchIndex, parse_query, search
from digestreader.search.index import Matcher, ScanMatcher

Order = npt.NDArray[np.int32]


class View(Enum):
    """Which papers a list shows, before any filter."""

    ALL = "all"
    MARKED = "marked"
    UNREAD = "unread"


class Sort(Enum):
    """List orders; relevance applies only while filtering."""

    RELEVANCE = "relevance"
    DIGEST = "digest order"
    NEWEST = "newest digest"
    TITLE = "title"
    SEEN = "most seen"


VIEW_FILTERS = {View.ALL: "", View.MARKED: "is:marked", View.UNREAD: "is:unread"}


@dataclass(frozen=True)
class Listing:
    """One computed list: paper indexes in display order, and what produced them."""

    order: Order
    query: str
    view: View
    sort: Sort
    digest: str | None
    generation: int


class Browser:
    """Papers and their states in memory, with fast ordering and filtering."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.papers: list[Paper] = library.papers()
        self.states: dict[str, UserState] = library.states()
        self.titles = [p.title for p in self.papers]
        self.abstracts = [p.abstract for p in self.papers]
        self.position = {p.id: i for i, p in enumerate(self.papers)}
        self.digest_names = [d["name"] for d in library.digests()]
        self.matcher: Matcher = ScanMatcher(self.titles, self.abstracts)
        self._sort_keys: dict[Sort, npt.NDArray[np.int64]] = {}
        self._flags: dict[str, set[int]] | None = None

    def build_index(self) -> None:
        """Replace the scan with an inverted index (slow: call from a worker thread)."""
        self.matcher = SearchIndex(self.titles, self.abstracts)

    # -- reading -------------------------------------------------------------------------------

    def view(self, index: int) -> PaperView:
        paper = self.papers[index]
        return PaperView(paper, self.states.get(paper.id, UserState()))

    def state(self, index: int) -> UserState:
        return self.states.get(self.papers[index].id, UserState())

    def flags(self) -> dict[str, set[int]]:
        """Indexes of marked, read and noted papers, for the search filters (cached)."""
        if self._flags is not None:
            return self._flags
        out: dict[str, set[int]] = {"marked": set(), "read": set(), "note": set()}
        for pid, state in self.states.items():
            i = self.position.get(pid)
            if i is None:
                continue
            for name, on in (("marked", state.marked), ("read", state.read), ("note", state.note)):
                if on:
                    out[name].add(i)
        self._flags = out
        return out

    def _sort_key(self, sort: Sort) -> npt.NDArray[np.int64]:
        if sort not in self._sort_keys:
            rank = {name: i for i, name in enumerate(self.digest_names)}
            if sort is Sort.TITLE:
                ranked = sorted(range(len(self.papers)), key=lambda i: self.titles[i].casefold())
                key = np.empty(len(self.papers), np.int64)
                key[np.asarray(ranked, np.int64)] = np.arange(len(self.papers))
            elif sort is Sort.SEEN:
                key = -np.fromiter((len(p.sources) for p in self.papers), np.int64)
            elif sort is Sort.NEWEST:
                key = -np.fromiter(
                    (max(rank.get(s.digest, 0) for s in p.sources) for p in self.papers), np.int64
                )
            else:
                key = np.arange(len(self.papers), dtype=np.int64)
            self._sort_keys[sort] = key
        return self._sort_keys[sort]

    def compute(
        self, query: str, view: View, sort: Sort, digest: str | None, generation: int = 0
    ) -> Listing:
        """The papers to show, in order. Pure over the current state: safe in a worker thread."""
        parsed = parse_query(f"{query} {VIEW_FILTERS[view]}")
        order = search(self.matcher, parsed, self.titles, self.flags()).order
        if digest is not None:
            keep = np.fromiter(
                (any(s.digest == digest for s in self.papers[i].sources) for i in order),
                np.bool_,
                len(order),
            )
            order = order[keep]
        ranked_by_query = bool(parsed.highlight_words)
        if not (sort is Sort.RELEVANCE and ranked_by_query) and sort is not Sort.DIGEST:
            order = order[np.argsort(self._sort_key(sort)[order], kind="stable")]
        elif sort is Sort.DIGEST and ranked_by_query:
            order = np.sort(order)
        return Listing(order.astype(np.int32), query, view, sort, digest, generation)

    def views_of(self, indexes: Iterable[int]) -> list[PaperView]:
        """The papers at ``indexes`` with their states, in that order (for export)."""
        return [self.view(int(i)) for i in indexes]

    def marked_indexes(self) -> list[int]:
        """Marked papers in library order."""
        return sorted(self.flags()["marked"])

    def counts(self) -> dict[str, int]:
        """Totals for the header: papers, marked, unread."""
        marked = sum(1 for s in self.states.values() if s.marked)
        read = sum(1 for pid, s in self.states.items() if s.read and pid in self.position)
        return {"total": len(self.papers), "marked": marked, "unread": len(self.papers) - read}

    # -- actions: each writes through the library at once --------------------------------------

    def _refresh_states(self, ids: Iterable[str]) -> None:
        # Copy on write: a worker thread may be iterating the old mapping right now.
        fresh = self.library.states()
        states = dict(self.states)
        for pid in ids:
            if pid in fresh:
                states[pid] = fresh[pid]
        self.states = states
        self._flags = None

    def toggle_marked(self, index: int) -> bool:
        pid = self.papers[index].id
        value = not self.state(index).marked
        self.library.set_marked([pid], value)
        self._refresh_states([pid])
        return value

    def set_read(self, indexes: Iterable[int], value: bool = True) -> int:
        ids = [self.papers[i].id for i in indexes if self.state(i).read != value]
        if ids:
            self.library.set_read(ids, value)
            self._refresh_states(ids)
        return len(ids)

    def toggle_read(self, index: int) -> bool:
        value = not self.state(index).read
        self.set_read([index], value)
        return value

    def set_note(self, index: int, text: str) -> None:
        pid = self.papers[index].id
        self.library.set_note(pid, text)
        self._refresh_states([pid])
