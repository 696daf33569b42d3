"""Bug 4 and the reading actions of issue 13: every place that shows a paper follows a change."""

from __future__ import annotations

from textual.widgets import Static

from digestreader.library import Library
from digestreader.ui.app import DigestReaderApp
from tests.functional.conftest import make_app, settle


def detail_text(app: DigestReaderApp) -> str:
    return str(app.main_screen.query_one("#detail-body", Static).render())


async def answer_yes_if_asked(app: DigestReaderApp, pilot: object) -> None:
    if app.screen is not app.main_screen:
        await pilot.press("y")  # type: ignore[attr-defined]


async def test_mark_all_read_updates_the_detail_pane(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lora", "enter")
        await settle(pilot)
        assert "● unread" in detail_text(app)
        await pilot.press("R")
        await answer_yes_if_asked(app, pilot)
        await settle(pilot)
        assert "● unread" not in detail_text(app)
        assert "read" in detail_text(app)
