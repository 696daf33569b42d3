"""Bugs 2 and 3 of issue 13: the cursor row is obvious, and always on screen."""

from __future__ import annotations

import pytest
from rich.segment import Segment

from digestreader.library import Library
from digestreader.ui.app import DigestReaderApp
from tests.functional.conftest import make_app, settle


def _backgrounds(segments: list[Segment]) -> set[object]:
    return {s.style.bgcolor for s in segments if s.style is not None and s.text.strip()}


async def test_the_cursor_row_has_its_own_background_in_every_cell(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        paper_list = app.main_screen.paper_list
        y = paper_list.cursor - paper_list.scroll_offset.y
        cursor_row = list(paper_list.render_line(y))
        other_row = list(paper_list.render_line(y + 1))
        cursor_bg, other_bg = _backgrounds(cursor_row), _backgrounds(other_row)
        # One background over the whole row (title, flags, date), and not the others' one.
        assert len(cursor_bg) == 1, cursor_bg
        assert cursor_bg.isdisjoint(other_bg)


async def test_without_colour_the_cursor_row_is_reversed(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.no_color
        paper_list = app.main_screen.paper_list
        cursor_row = list(paper_list.render_line(0))
        other_row = list(paper_list.render_line(1))
        assert all(s.style and s.style.reverse for s in cursor_row if s.text.strip())
        assert not any(s.style and s.style.reverse for s in other_row)


def _cursor_visible(app: DigestReaderApp) -> bool:
    paper_list = app.main_screen.paper_list
    top, height = paper_list.scroll_offset.y, paper_list.scrollable_content_region.height
    return height > 0 and top <= paper_list.cursor < top + height


async def test_the_cursor_stays_in_view_when_the_terminal_shrinks(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await pilot.pause()
        assert _cursor_visible(app)
        for size in ((80, 24), (60, 20), (200, 50), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.3)
            assert app.main_screen.paper_list.cursor == 560
            assert _cursor_visible(app), size


async def test_a_restored_cursor_far_down_is_in_view_at_80x24(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(68):
            await pilot.press("j")
        await pilot.press("q")
    again = make_app(seeded)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert again.main_screen.paper_list.cursor == 68
        assert _cursor_visible(again)
