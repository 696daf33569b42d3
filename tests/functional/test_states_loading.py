"""The first frame draws before the user's states are read; flags and counts follow it."""

from __future__ import annotations

from textual.widgets import Static

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.main import MainScreen
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import settle, wait_for


def rows(app: DigestReaderApp, count: int) -> list[str]:
    paper_list = app.main_screen.query_one(PaperList)
    return [paper_list.render_line(y).text for y in range(count)]


def status(app: DigestReaderApp) -> str:
    return str(app.main_screen.query_one("#status", Static).render())


async def test_flags_follow_the_first_frame_and_an_early_toggle_acts_on_the_true_state(
    seeded: Library,
) -> None:
    # The first three rows of the list the reader opens on, computed by a model that reads
    # every state at once (as the reader did before).
    eager = ReaderModel(Library(seeded.root))
    order = [int(i) for i in eager.compute(ListingSpec()).order[:3]]
    first, second, _third = (eager.papers[i].id for i in order)
    seeded.set_marked([first])
    seeded.set_read([first, second])
    app = DigestReaderApp(ReaderModel(Library(seeded.root), states_later=True), Config())
    # The loading worker waits on this lock: held, the reader stays before its states are in.
    held = app.model.user._states_load_lock
    held.acquire()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await wait_for(pilot, lambda: screen.listing is not None)
            assert screen.listing is not None
            assert [int(i) for i in screen.listing.order[:3]] == order
            assert not app.model.user.states_loaded
            assert "counting…" in status(app)
            before = rows(app, 3)
            assert not any("★" in row or "●" in row for row in before), before
            assert screen.paper_list.current == order[0]
            # The first paper is marked on disk though the list does not show it yet: b unmarks.
            await pilot.press("b")
            await pilot.pause()
            assert not Library(seeded.root).states()[first].marked
            held.release()
            await settle(pilot)
            assert app.model.user.states_loaded
            after = rows(app, 3)
            assert "★" not in after[0]
            assert "●" not in after[0]
            assert "●" not in after[1]
            assert "●" in after[2]
            assert "★ 0" in status(app)
            assert f"● {len(app.model.papers) - 2:,} unread" in status(app)
    finally:
        if held.locked():
            held.release()
