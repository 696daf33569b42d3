"""The filter input: always visible; typing filters live."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from digestreader.search.query import parse_query

PLACEHOLDER = "/ filter: words, 'exact, ^title-start, !exclude, a | b, is:marked"


class FilterBar(Input):
    """An Input where escape clears the text and goes back to the list."""

    # Input sets its virtual size from the text on every keystroke; with the inherited
    # layout=True each key re-laid out the whole screen. The bar's box never changes size.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    # enter/down have priority: the app runs them as it routes the key, so focus has moved
    # before it routes the next one (otherwise a fast "enter j" sent the j to the filter).
    # Escape has not: the text typed before it must be in first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_or_leave", "Clear and leave"),
        Binding("enter", "leave", "To list", priority=True),
        Binding("down", "leave", "To list", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    FilterBar.-error, FilterBar.-error:focus {
        border: tall $error;
        border-subtitle-color: $text-error;
        border-subtitle-style: bold;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value=value, placeholder=PLACEHOLDER, id=id)

    def on_mount(self) -> None:
        # A blinking cursor redraws the bar twice a second, and a redraw that lands on a
        # keystroke delays it; a steady cursor is just as visible.
        self.cursor_blink = False
        self.show_errors()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_errors()
        # The screen watches the value and has filtered already: going on up, the message
        # only kept the next key of a burst waiting behind two more dispatches.
        event.stop()

    def show_errors(self) -> None:
        """Say in the bar's border what in the text is no filter ("is:foo"), not match words."""
        errors = parse_query(self.value).errors
        self.set_class(bool(errors), "-error")
        hint = " - filters: is:marked is:unread is:read is:new has:note"
        self.border_subtitle = "; ".join(errors) + hint if errors else ""

    def action_clear_or_leave(self) -> None:
        # One press clears and goes back to the list, as in fzf and lazygit.
        self.value = ""
        self.action_leave()

    def action_leave(self) -> None:
        # Synchronous, like the way in: the keys after enter already belong to the list.
        self.screen.set_focus(
            self.screen.focus_chain[1] if len(self.screen.focus_chain) > 1 else None
        )
