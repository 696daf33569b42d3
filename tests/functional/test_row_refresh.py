"""A row changed by a key is drawn again where it is on screen, however far the list scrolled."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.scroll_view import ScrollView

from digestreader.library import Library
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import make_app, settle


async def test_a_bookmark_far_down_the_list_redraws_its_row(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = app.main_screen.query_one(PaperList)
        await pilot.press(*["j"] * 60)  # well past the first screenful: the list has scrolled
        await settle(pilot)
        assert papers.scroll_offset.y > 0
        redrawn: list[Region] = []
        refresh = ScrollView.refresh

        def spy(self: ScrollView, *regions: Region, **kwargs: Any) -> Any:
            if self is papers:
                redrawn.extend(regions)
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(ScrollView, "refresh", spy)
        await pilot.press("b")
        await settle(pilot)
        # The screen keeps what it drew of a row until that row's region is refreshed; the
        # row was aimed at once the scroll offset had been taken off twice (the row stayed
        # unmarked on screen while the header counted it).
        on_screen = papers.cursor - papers.scroll_offset.y
        assert any(r.y <= on_screen < r.bottom for r in redrawn), (on_screen, redrawn)
