"""Cursor moves typed while a new listing is on its way are made on that listing.

"/learning", Enter, "j j" in one burst: the j's moved the cursor on the old list, and the new
list, arriving after, put the cursor back on the paper kept from before: the moves were lost.
"""

from __future__ import annotations

from digestreader.library import Library
from digestreader.reader.listing import row_of
from tests.functional.conftest import make_app, settle


async def test_moves_made_before_the_filtered_list_arrives_apply_to_it(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_list = app.main_screen.paper_list
        await pilot.press("slash", *"learnin")
        await settle(pilot)
        first = paper_list.current
        # The filter thread waits on the search's lock while the last letter, Enter and the
        # moves go in: the listing for "learning" arrives after them, as in a fast burst.
        with app.model.search_side._load_lock:
            await pilot.press("g", "enter", "j", "j")
            assert not paper_list.settled
        await settle(pilot)
        assert paper_list.settled
        assert app.main_screen.spec.query == "learning"
        assert first is not None
        kept_row = row_of(paper_list.order, first)  # where the new list put the kept paper
        assert kept_row is not None
        assert paper_list.cursor == kept_row + 2
