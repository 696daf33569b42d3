"""Events that widgets post upward to the screen."""

from __future__ import annotations

from textual.message import Message

from digestreader.browse import Listing


class PaperHighlighted(Message):
    """The list cursor moved onto a paper (None when the list is empty)."""

    def __init__(self, index: int | None) -> None:
        super().__init__()
        self.index = index


class ListingReady(Message):
    """A filter worker finished computing a listing."""

    def __init__(self, listing: Listing) -> None:
        super().__init__()
        self.listing = listing


class AbstractsReady(Message):
    """The abstracts finished loading in their worker: details and text search can use them."""


class IndexReady(Message):
    """The search index finished building in its worker."""
