"""The main screen's footer: Textual's, filled in once the first list is on screen."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from digestreader.ui.keys import FOOTER_FIRST


class LateFooter(Footer):
    """A footer that shows its keys only after :meth:`show_keys`.

    Textual's footer builds a widget per key and rebuilds them all each time the bindings
    change, which they do several times while the screen starts (mount, focus): at start that
    was 40-90 ms of a 0.5 s first frame, spent before the first titles were drawn. Until then
    this one is the same bar, empty (its place is kept, so nothing moves when the keys come).
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys_shown = False

    def show_keys(self) -> None:
        """Show the keys from now on (the screen's first frame is out)."""
        if not self.keys_shown:
            self.keys_shown = True
            # From the footer's own message loop: its keys bind to its reactives there.
            self.call_later(self.bindings_changed, self.screen)

    def compose(self) -> ComposeResult:
        # Textual shows the keys in binding order, the screen's before the app's, and cuts what
        # does not fit: at 80 columns that was ? and q. The keys a new user needs come first.
        keys = list(super().compose())
        first = {action: rank for rank, action in enumerate(FOOTER_FIRST)}
        yield from sorted(keys, key=lambda key: first.get(getattr(key, "action", ""), len(first)))

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.keys_shown:
            super().bindings_changed(screen)
