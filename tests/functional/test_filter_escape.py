"""Escape from the filter puts the cursor back on the paper it was on before the filter."""

from __future__ import annotations

import pytest

from digestreader.library import Library
from tests.functional.conftest import make_app, settle


@pytest.mark.parametrize("query", ["xqzzy", "zzqx"])
async def test_escape_from_a_filter_that_matched_nothing_returns_to_the_paper(
    seeded: Library, query: str
) -> None:
    # The cursor went to row 1 of the whole list: the empty listing had no current paper, so
    # the request made by escape had none to keep. "xqzzy" matches papers at "x" (not the one
    # under the cursor), then none; "zzqx" matches none from its second letter.
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_list = app.main_screen.paper_list
        await pilot.press(*"jjjjj")
        before = paper_list.current
        assert paper_list.cursor == 5
        await pilot.press("slash")
        for letter in query:  # one at a time, each listing shown, as a person types
            await pilot.press(letter)
            await settle(pilot)
        assert paper_list.current is None  # the filter matched nothing
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list.current == before
        assert paper_list.cursor == 5


async def test_escape_from_a_filter_that_matched_keeps_the_paper(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_list = app.main_screen.paper_list
        await pilot.press(*"jjj")
        await pilot.press("slash", *"lang")
        await settle(pilot)
        await pilot.press("enter", "j")  # the user picks another paper among the matches
        picked = paper_list.current
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert paper_list.current == picked
