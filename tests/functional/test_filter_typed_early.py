"""Keys that reach the filter bar before the main screen has finished mounting still filter.

The bar can hold focus for a moment before the screen's mount moves it to the list; text typed
then went into the bar while the list kept the old filter, and quitting saved the old filter.
"""

from __future__ import annotations

from functools import cached_property

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.main import MainScreen
from digestreader.ui.widgets.filter_bar import FilterBar
from tests.functional.conftest import settle


class EarlyTypingScreen(MainScreen):
    """The main screen, its bar given text just before the screen's own mount handler runs
    (as keys typed in that moment are)."""

    def on_mount(self) -> None:  # Textual runs MainScreen.on_mount right after this one
        self.query_one(FilterBar).value = "diffusion"


class EarlyTypingApp(DigestReaderApp):
    """The reader with :class:`EarlyTypingScreen` as its main screen."""

    @cached_property
    def main_screen(self) -> MainScreen:
        return EarlyTypingScreen(self.model, self.config, self.session)


async def test_text_typed_into_the_bar_before_the_screen_mounted_filters(
    seeded: Library,
) -> None:
    app = EarlyTypingApp(ReaderModel(seeded), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen.spec.query == "diffusion"
        assert screen.listing is not None
        assert screen.listing.spec.query == "diffusion"
        assert 0 < len(screen.listing.order) < len(app.model.papers)
        await pilot.press("q")
    assert seeded.load_session()["query"] == "diffusion"
