"""Events that widgets post upward to the screen."""

from __future__ import annotations

from textual.message import Message

from digestreader.reader.listing import Listing


class PaperHighlighted(Message):
    """The list cursor moved onto a paper (None when the list is empty).

    ``by_filter`` says a new list put it there rather than the user moving the cursor.
    """

    def __init__(self, index: int | None, by_filter: bool = False) -> None:
        super().__init__()
        self.index = index
        self.by_filter = by_filter


class ListingReady(Message):
    """A filter worker finished computing a listing."""

    def __init__(self, listing: Listing) -> None:
        super().__init__()
        self.listing = listing


class ListingFailed(Message):
    """The filter thread hit an error: it is raised on the UI thread, like a worker's."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class AbstractsReady(Message):
    """The abstracts finished loading in their worker: details and text search can use them."""


class IndexReady(Message):
    """The search index finished building in its worker."""
