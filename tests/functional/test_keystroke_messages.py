"""A filter keystroke's messages stop where they are handled.

Each message that bubbles on is dispatched again by every node above; typed in a burst, the
next key waited behind them (three dispatches for the filter thread's result alone).
"""

from __future__ import annotations

from typing import Any

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.ui.app import DigestReaderApp
from tests.functional.conftest import settle


class RecordingApp(DigestReaderApp):
    """The reader, noting the list's messages that reach the app."""

    def __init__(self, library: Library) -> None:
        super().__init__(ReaderModel(library), Config())
        self.reached: list[str] = []

    def on_paper_list__computed(self, message: Any) -> None:
        self.reached.append("computed")

    def on_paper_list_highlighted(self, message: Any) -> None:
        self.reached.append("highlighted")

    def on_input_changed(self, message: Any) -> None:
        self.reached.append("filter changed")

    def on_paper_list_shown(self) -> None:
        super().on_paper_list_shown()
        self.reached.append("shown")


async def test_filter_text_result_and_cursor_messages_stop_below_the_app(seeded: Library) -> None:
    app = RecordingApp(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.reached.clear()
        await pilot.press("slash", *"lang")
        await settle(pilot)
        assert app.main_screen.listing is not None
        assert app.main_screen.listing.spec.query == "lang"
        # Shown still reaches the app (its first one lets the footer's keys in).
        assert set(app.reached) == {"shown"}
