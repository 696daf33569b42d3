"""Bug 1 of issue 13: a key right after q must not open anything, nor crash the exit."""

from __future__ import annotations

import pytest

from digestreader.library import Library
from digestreader.ui.screens.help import HelpScreen
from digestreader.ui.widgets.filter_bar import FilterBar
from tests.functional.conftest import active_screen, make_app, settle
from tests.functional.test_reader import _burst


@pytest.mark.parametrize("after", ["n", "e", "ctrl+p", "question_mark", "i", "d"])
async def test_a_key_right_after_q_opens_nothing_and_the_app_exits_cleanly(
    seeded: Library, after: str
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screens = len(app.screen_stack)
        _burst(app, "q", after)
        await pilot.pause(0.2)
        # Nothing was pushed on top of the main screen on the way out.
        assert len(app.screen_stack) <= screens
    assert app.return_code == 0


async def test_q_is_a_letter_in_the_filter_and_closes_help(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _burst(app, "slash", "q")
        await settle(pilot)
        assert app.main_screen.query_one("#filter", FilterBar).value == "q"
        await pilot.press("enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert active_screen(app) is app.main_screen
        assert app.is_running
