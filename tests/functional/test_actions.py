"""Bug 4 and the reading actions of issue 13: every place that shows a paper follows a change."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from digestreader.library import Library
from digestreader.reader.listing import ListingSpec, Sort
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.confirm import ConfirmScreen
from digestreader.ui.widgets.detail import DetailPane
from digestreader.ui.widgets.filter_bar import FilterBar
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import active_screen, make_app, settle


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


def notifications(app: DigestReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_tab_cycles_list_detail_filter(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, PaperList)
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert isinstance(app.focused, FilterBar)
        await pilot.press("tab")
        assert isinstance(app.focused, PaperList)


async def test_the_detail_pages_by_keyboard_at_80x24_and_space_still_marks_in_the_list(
    seeded: Library,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.main_screen.query_one(DetailPane)
        assert detail.max_scroll_y > 0  # the abstract does not fit
        await pilot.press("J")  # from the list: page the detail, stay in the list
        await pilot.pause()
        assert detail.scroll_y > 0
        assert isinstance(app.focused, PaperList)
        await pilot.press("K")
        await pilot.pause()
        assert detail.scroll_y == 0
        await pilot.press("tab", "space")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("shift+space")
        await pilot.pause()
        assert detail.scroll_y == 0
        assert not app.model.user.state(app.main_screen.paper_list.current or 0).marked
        await pilot.press("shift+tab", "space")
        assert app.model.user.state(app.main_screen.paper_list.current or 0).marked


async def test_z_gives_the_detail_the_whole_screen_and_back(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.main_screen.query_one(DetailPane)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is detail
        assert detail.region.height >= 20
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is None
        assert isinstance(app.focused, PaperList)
        # Escape puts it back too (Textual's minimize), and the keys go back to the list: they
        # stayed in the detail pane, where j scrolled it and the list looked frozen.
        row = app.main_screen.paper_list.cursor
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None
        assert isinstance(app.focused, PaperList)
        await pilot.press("j")
        assert app.main_screen.paper_list.cursor == row + 1


async def test_the_note_is_above_the_abstract_and_marked_in_the_list(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        app.screen.query_one(TextArea).insert("NOTE-TEXT here")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = detail_text(app)
        index = app.main_screen.paper_list.current
        assert index is not None
        abstract = app.model.paper_with_state(index).paper.abstract
        assert text.index("NOTE-TEXT") < text.index(abstract.split()[0])
        assert "✎" in app.main_screen.paper_list.render_line(0).text
        assert "✎" not in app.main_screen.paper_list.render_line(1).text


async def test_escape_clears_the_filter_and_returns_to_the_list_at_once(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lora", "escape")
        await settle(pilot)
        assert app.main_screen.query_one(FilterBar).value == ""
        assert isinstance(app.focused, PaperList)
        # The next letter acts on the list, and says so: it can be undone.
        await pilot.press("r")
        assert any("u undoes" in m for m in notifications(app))


async def test_mark_all_read_asks_first_and_u_undoes(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lora", "enter")
        await settle(pilot)
        shown = [int(i) for i in app.main_screen.paper_list.order]
        assert len(shown) > 1
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert active_screen(app) is app.main_screen
        assert seeded.stats()["read"] == 0
        await pilot.press("R", "y")
        await settle(pilot)
        assert seeded.stats()["read"] == len(shown)
        await pilot.press("u")
        await settle(pilot)
        assert seeded.stats()["read"] == 0
        assert "● unread" in detail_text(app)
        await pilot.press("b", "u")
        await settle(pilot)
        assert seeded.stats()["marked"] == 0


async def test_filtering_ranks_by_relevance_and_the_saved_sort_returns(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "s")  # newest digest, title
        await settle(pilot)
        screen = app.main_screen
        assert screen.spec.sort is Sort.TITLE
        await pilot.press("slash", *"sinkhorn transport")
        await settle(pilot)
        assert screen.spec.effective_sort is Sort.RELEVANCE
        expected = app.model.compute(ListingSpec(query="sinkhorn transport", sort=Sort.RELEVANCE))
        assert list(screen.paper_list.order) == list(expected.order)
        assert "relevance" in str(screen.query_one("#status", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        cleared = screen.spec  # a fresh read: the key changed it
        assert cleared.effective_sort is Sort.TITLE
        titles = [app.model.titles[int(i)] for i in screen.paper_list.order]
        assert titles == sorted(titles, key=str.casefold)


async def test_pane_widths_follow_the_terminal(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        for width in (120, 200):
            await pilot.resize_terminal(width, 40)
            await settle(pilot)
            papers = app.main_screen.query_one("#papers").region
            detail = app.main_screen.query_one(DetailPane).region
            assert 50 <= detail.width <= 100, width
            assert papers.width + detail.width == width
            # A long title ends in an ellipsis rather than mid-word at the pane's edge.
            rows = [app.main_screen.paper_list.render_line(y).text for y in range(30)]
            assert any(row.rstrip().endswith("…") or "…" in row for row in rows), width
