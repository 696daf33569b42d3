"""The paper list: a Line-API ScrollView that renders only the rows on screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from digestreader.reader.filter_thread import FilterThread
from digestreader.reader.listing import Listing, ListingSpec, row_of
from digestreader.reader.model import ReaderModel
from digestreader.search.query import Query, parse_query
from digestreader.ui.widgets.paper_rows import paper_row, with_combined

if TYPE_CHECKING:
    from digestreader.reader.listing import Rows


class PaperList(ScrollView, can_focus=True):
    """Every shown paper as one row: bookmark star, unread dot, note mark, highlighted title,
    and the times seen and date when it has them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
    ]
    DEFAULT_CSS = """
    PaperList > .paper-list--cursor {
        background: $accent 40%;
        text-style: bold;
    }
    PaperList:blur > .paper-list--cursor {
        background: $panel;
        text-style: none;
    }
    /* NO_COLOR: a background alone turns into a grey barely apart from the others. */
    PaperList:nocolor > .paper-list--cursor {
        text-style: reverse bold;
    }
    PaperList:nocolor:blur > .paper-list--cursor {
        text-style: reverse;
    }
    PaperList > .paper-list--match {
        color: $text-accent;
        text-style: bold underline;
    }
    PaperList > .paper-list--star {
        color: $warning;
    }
    PaperList > .paper-list--unread {
        color: $primary;
    }
    PaperList > .paper-list--read {
        color: $text-muted;
    }
    PaperList > .paper-list--meta {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--match",
        "paper-list--star",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--meta",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a paper (``index`` is None when the list is empty).

        ``by_filter`` says a new list put it there rather than the user moving the cursor.
        """

        index: int | None
        by_filter: bool = False

    @dataclass
    class Shown(Message):
        """A new listing is on screen (its cursor already placed)."""

        listing: Listing

    @dataclass
    class _Computed(Message, bubble=False):
        """The filter thread's result (or error), carried to the UI thread: for this list
        alone (bubbling, it went on through the panes, the screen and the app on every
        keystroke, and a key typed next waited behind three dispatches)."""

        result: Listing | BaseException

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    # The row count changes with every filter keystroke; the list has no scrollbar and a fixed
    # box, so a new virtual size needs a repaint, not a relayout of the whole screen.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, model: ReaderModel, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = model
        self.order: Rows = range(0)
        self.filter_query: Query = parse_query("")
        self._styles: dict[str, Style] | None = None
        self._frame: tuple[int, int] | None = None  # scroll offset and width, while drawing
        self._by_filter = False
        self.listing: Listing | None = None  # the listing on screen
        self._generation = 0  # of the newest request
        self._keep: int | None = None
        # The cursor is where it is only because the kept paper is not shown (row 1, or no row
        # at all): the paper to go back to is still the kept one, not what lies there.
        self._kept_elsewhere = False
        # Rows moved (j, k, page keys) while a newer listing was on its way: meant for it, and
        # made again on it once it is shown (a burst of "/word", Enter, "j j" lost them).
        self._moves_ahead = 0
        # Through self.model, so a model swapped in (after an import) is the one computing.
        self._filter = FilterThread(lambda spec, n: self.model.compute(spec, n), self._deliver)

    def on_mount(self) -> None:
        self._filter.start()

    def on_unmount(self) -> None:
        self._filter.stop()

    @property
    def settled(self) -> bool:
        """Whether the listing on screen answers the newest request."""
        return self.listing is not None and self.listing.generation == self._generation

    def request(self, spec: ListingSpec, keep: int | None = None) -> None:
        """Compute the listing of ``spec`` off the UI thread (only the newest request is
        computed), or at once when it needs no search; the cursor stays on paper ``keep``,
        else on the current one."""
        if keep is None:
            # Before the first listing arrives the cursor means nothing yet: keep what was asked.
            # Nor does it while the list does not show the kept paper and the user has not moved
            # (a filter that matched nothing: escape goes back to the paper it was typed on).
            settled = self.listing is not None and not self._kept_elsewhere
            keep = self.current if settled else self._keep
        self._keep = keep
        if self.model.shows_everything(spec):
            # Every paper in the catalog's order: a range, at once (the usual first frame
            # draws its titles in its first paint, with no thread to wait for). Shown from
            # this list's own loop: a message made while the screen handles one (its mount)
            # would stop bubbling at the screen, and the app would never hear of it.
            self._generation = self._filter.supersede()
            self.call_later(self._take, self.model.compute(spec, self._generation))
            return
        self._generation = self._filter.submit(spec)

    def _deliver(self, result: Listing | BaseException) -> None:
        """Called on the filter thread: post_message is thread-safe."""
        self.post_message(self._Computed(result))

    def on_paper_list__computed(self, message: _Computed) -> None:
        result = message.result
        if isinstance(result, BaseException):
            raise result  # a bug in the filter thread surfaces here, like a worker's
        self._take(result)

    def _take(self, result: Listing) -> None:
        """Show ``result`` unless a newer request was made since."""
        if result.generation != self._generation:
            return  # a newer keystroke already asked for another list
        self.listing = result
        self.show(result.order, result.spec.query, self._keep)
        moves, self._moves_ahead = self._moves_ahead, 0
        if moves:
            self.cursor += moves
        self.post_message(self.Shown(result))

    @property
    def current(self) -> int | None:
        """The paper index under the cursor, or None for an empty list."""
        return int(self.order[self.cursor]) if len(self.order) else None

    def show(self, order: Rows, query: str, keep: int | None = None) -> None:
        """Display a new order, keeping the cursor on paper ``keep`` if it is still shown."""
        self.order = order
        self.filter_query = parse_query(query)
        self.virtual_size = Size(self.size.width, len(order))
        row = row_of(order, keep) if keep is not None else None
        self._kept_elsewhere = keep is not None and row is None
        row = row or 0
        self._by_filter = True
        self.cursor = row
        self._by_filter = False
        self.refresh()

    def refresh_paper(self, index: int) -> None:
        """Redraw the row of one paper after its state changed."""
        row = row_of(self.order, index)
        if row is not None:
            self.refresh_lines(row)  # a list row: refresh_lines takes off the scroll

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.order) - 1))

    def scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor's row."""
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def watch_cursor(self, old: int, new: int) -> None:
        if not self._by_filter:
            self._kept_elsewhere = False  # the user chose the paper under the cursor
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current, by_filter=self._by_filter))

    def _move(self, rows: int) -> None:
        if not self.settled:
            self._moves_ahead += rows
        self.cursor += rows

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.order) - 1

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def on_click(self, event: events.Click) -> None:
        self.cursor = event.y + self.scroll_offset.y
        self.focus()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.order))
        # A smaller box (a resize, or the first layout after a restored far-down cursor) can
        # leave the cursor's row below the bottom: scroll once the new size is in place.
        self.call_after_refresh(self.scroll_to_cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None  # theme, CSS or focus changed: resolve the row styles again

    def _row_styles(self) -> dict[str, Style]:
        """The base and component styles, resolved once per style change instead of per row
        (resolving walks the CSS and was most of the cost of drawing a row)."""
        if self._styles is None:
            base = self.rich_style
            self._styles = {"base": base} | {
                name.removeprefix("paper-list--"): self.get_component_rich_style(name)
                for name in self.COMPONENT_CLASSES
            }
            # The cursor lays only its background and emphasis over a row: its resolved colour
            # would paint over the unread dot, the star and the highlighted matches.
            cursor = self._styles["cursor"]
            self._styles["cursor"] = Style(
                bgcolor=cursor.bgcolor, bold=cursor.bold or None, reverse=cursor.reverse or None
            )
            self._styles = with_combined(self._styles)
        return self._styles

    def render_lines(self, crop: Region) -> list[Strip]:
        # The scroll offset and the content width, once a frame rather than once a row: each
        # walks the DOM (with them, a third of drawing a row).
        self._frame = (self.scroll_offset.y, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        top, width = self._frame or (self.scroll_offset.y, self.scrollable_content_region.width)
        row = y + top
        styles = self._row_styles()
        if row >= len(self.order):
            return Strip.blank(width, styles["base"])
        view = self.model.paper_with_state(int(self.order[row]), with_abstract=False)
        # Until the states are loaded no unread dot, rather than a wrong one.
        known = self.model.user.states_loaded
        strip = paper_row(view, width, styles, self.filter_query, known)
        if row == self.cursor:
            # Applied over each cell's own style (Strip.apply_style puts it under, where every
            # cell's own background won and the cursor row looked like the others).
            strip = Strip(Segment.apply_style(strip, post_style=styles["cursor"]), width)
        return strip
