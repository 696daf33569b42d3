"""The reader through Textual's Pilot: every key of the contract against a real library."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.listing import Sort
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens import main_detail
from digestreader.ui.screens.help import HelpScreen
from digestreader.ui.screens.main import MainScreen
from digestreader.ui.screens.note import ConfirmDiscard, NoteScreen
from digestreader.ui.widgets.filter_bar import FilterBar
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import make_app, settle, wait_for


def main_screen(app: DigestReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def shown_titles(app: DigestReaderApp) -> list[str]:
    paper_list = main_screen(app).query_one(PaperList)
    return [app.model.papers[int(i)].title for i in paper_list.order]


def current_id(app: DigestReaderApp) -> str:
    index = main_screen(app).query_one(PaperList).current
    assert index is not None
    return app.model.papers[index].id


def sort_of(app: DigestReaderApp) -> Sort:
    """The main screen's sort now (a call, so checks after a key press are not narrowed)."""
    return main_screen(app).spec.sort


async def test_opens_on_the_seeded_samples(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(shown_titles(app)) == 561
        status = str(main_screen(app).query_one("#status", Static).render())
        assert "561/561" in status


async def test_filter_typing_enter_and_escape(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sinkhorn")
        await settle(pilot)
        titles = shown_titles(app)
        assert titles
        assert all(
            "sinkhorn" in (t + seeded.get(current_id(app)).paper.abstract).casefold()
            for t in titles[:1]
        )
        assert len(titles) < 20
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert main_screen(app).query_one(FilterBar).value == ""
        assert len(shown_titles(app)) == 561
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)


async def test_movement_keys(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_list = main_screen(app).query_one(PaperList)
        await pilot.press("j", "j", "down")
        assert paper_list.cursor == 3
        await pilot.press("k", "up")
        assert paper_list.cursor == 1
        await pilot.press("G")
        assert paper_list.cursor == 560
        await pilot.press("g")
        assert paper_list.cursor == 0
        await pilot.press("pagedown")
        assert paper_list.cursor > 10
        await pilot.press("pageup")
        assert paper_list.cursor == 0


async def test_bookmark_read_and_views_persist(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = current_id(app)
        await pilot.press("b", "j", "space", "j", "r")
        second, third = app.model.papers[1].id, app.model.papers[2].id
        await pilot.press("2")
        await settle(pilot)
        assert [
            app.model.papers[int(i)].id for i in main_screen(app).query_one(PaperList).order
        ] == [first, second]
        await pilot.press("3")
        await settle(pilot)
        assert third not in {
            app.model.papers[int(i)].id for i in main_screen(app).query_one(PaperList).order
        }
        await pilot.press("1")
        await settle(pilot)
        assert len(shown_titles(app)) == 561
    states = seeded.states()  # a fresh read of the state file: saved at once
    assert states[first].marked
    assert states[second].marked
    assert states[third].read
    await_toggle = make_app(seeded)
    async with await_toggle.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
    assert not seeded.states()[first].marked


async def test_mark_all_shown_read(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lora", "enter")
        await settle(pilot)
        shown = {app.model.papers[int(i)].id for i in main_screen(app).query_one(PaperList).order}
        await pilot.press("R", "y")  # more than one paper: it asks first
    assert shown
    states = seeded.states()
    assert all(states[pid].read for pid in shown)
    assert seeded.stats()["read"] == len(shown)


async def test_note_editor_saves_cancels_and_asks(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pid = current_id(app)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(TextArea).insert("first [b]idea[/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert seeded.get(pid).state.note == "first [b]idea[/b]"
        await pilot.press("n")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)  # unchanged text: no question
        await pilot.press("n")
        app.screen.query_one(TextArea).insert(" more")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MainScreen)
    assert seeded.get(pid).state.note == "first [b]idea[/b]"


async def test_sort_cycles_and_digest_scope(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert sort_of(app) is Sort.DIGEST
        await pilot.press("s")
        await settle(pilot)
        assert sort_of(app) is Sort.NEWEST
        newest = app.model.digest_names[-1]
        assert (
            app.model.papers[int(screen.query_one(PaperList).order[0])].sources[-1].digest == newest
        )
        await pilot.press("s")
        await settle(pilot)
        assert sort_of(app) is Sort.TITLE
        titles = shown_titles(app)
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("s")
        await settle(pilot)
        seen = [len(app.model.papers[int(i)].sources) for i in screen.query_one(PaperList).order]
        assert seen == sorted(seen, reverse=True)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.spec.digest == app.model.digest_names[0]
        assert len(shown_titles(app)) == 217
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.spec.digest == app.model.digest_names[-1]
        # By date, whatever the import order: the newest sample is 002's "Aug 25" page.
        assert screen.spec.digest == "002_a7027c0c4db548f5"
        assert len(shown_titles(app)) == 54


async def test_open_copy_help_and_quit(seeded: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(seeded)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "get", lambda *_: object())

    def fake_open(url: str, *_: object, **__: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        title = app.model.papers[0].title
        await pilot.press("o")
        await settle(pilot)
        assert opened
        assert opened[0].startswith("https://arxiv.org/search/")
        await pilot.press("y")
        assert app.clipboard.startswith(title + "\n")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


async def test_restart_restores_filter_view_and_paper(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"diffusion", "enter", "j", "j", "3")
        await settle(pilot)
        chosen = current_id(app)
        await pilot.press("q")
    again = make_app(seeded)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(again)
        assert screen.query_one(FilterBar).value == "diffusion"
        assert screen.spec.scope.value == "unread"
        assert current_id(again) == chosen


async def test_a_theme_chosen_in_the_reader_comes_back_and_beats_the_config(
    seeded: Library,
) -> None:
    app = make_app(seeded, Config(theme="nord"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"  # what the palette's theme picker does
        await settle(pilot)
    assert seeded.load_session()["theme"] == "gruvbox"
    again = make_app(seeded, Config(theme="nord"))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "gruvbox"


async def test_an_unknown_theme_falls_back_with_a_message(seeded: Library) -> None:
    app = make_app(seeded, Config(theme="no-such-theme"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert any("Unknown theme" in n.message for n in app._notifications)


async def test_empty_result_says_what_to_do(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xqzzy")
        await settle(pilot)
        assert shown_titles(app) == []
        message = "No paper matches 'xqzzy' - esc clears the filter"
        await wait_for(pilot, lambda: message in detail_body(app))


def detail_body(app: DigestReaderApp) -> str:
    return str(main_screen(app).query_one("#detail-body", Static).render())


async def test_a_filter_without_match_waits_for_a_pause_to_say_so(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The message's text changes with every key, and each change relaid the whole screen out
    # on the keystroke: the slowest keystrokes of the benchmark. It follows once typing pauses,
    # as a paper's detail does.
    monkeypatch.setattr(main_detail, "DETAIL_DELAY_S", 30.0)
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = detail_body(app)
        await pilot.press("slash", *"xqzzy")
        await settle(pilot)
        assert shown_titles(app) == []
        assert detail_body(app) == before


async def test_untrusted_titles_render_literally_and_do_nothing(hostile: Library) -> None:
    app = make_app(hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        paper_list = screen.query_one(PaperList)
        lines = [paper_list.render_line(y).text for y in range(3)]
        for title in ("[CLS] Token Pruning", "[/] closing tag first", "[@click=app.quit]x[/]"):
            assert any(title in line for line in lines), (title, lines)
        for _ in range(3):
            body = str(screen.query_one("#detail-body", Static).render())
            assert app.model.papers[int(paper_list.order[paper_list.cursor])].title in body
            await pilot.click("#detail-body", offset=(3, 0))
            await pilot.press("j")
        assert app.is_running


async def test_config_overrides_keys_and_bad_config_falls_back(
    seeded: Library, tmp_path: Path
) -> None:
    app = make_app(seeded, Config(keys={"toggle_mark": "m"}, mark_read_on_open=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pid = current_id(app)
        await pilot.pause(1.6)  # read once shown for a moment
        await pilot.press("m", "j")
    assert seeded.get(pid).state.marked
    assert seeded.get(pid).state.read


async def test_narrow_terminal_stacks_the_panes(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.has_class("-narrow")
        papers, detail = screen.query_one("#papers").region, screen.query_one("#detail").region
        assert detail.y >= papers.bottom
        assert papers.height >= 5


def _burst(app: DigestReaderApp, *keys: str) -> None:
    """Queue keys all at once, as a fast typist or a paste does (Pilot waits between keys)."""
    from textual import events

    assert app._driver is not None
    for key in keys:
        char: str | None = {"slash": "/", "enter": "\r"}.get(key, None if len(key) > 1 else key)
        key = {" ": "space"}.get(key, key)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_keys_typed_in_a_burst_land_where_they_were_aimed(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _burst(app, "slash", *"sinkh", "slash", "x")
        await settle(pilot)
        assert main_screen(app).query_one(FilterBar).value == "sinkh/x"
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        _burst(app, "enter", "j", "b")
        await settle(pilot)
        screen = main_screen(app)
        assert app.focused is screen.query_one(PaperList)
        assert screen.query_one(FilterBar).value == "sinkh"
        assert seeded.states()[current_id(app)].marked
        assert screen.query_one(PaperList).cursor == 1


async def test_a_note_typed_and_saved_in_one_burst_is_kept_whole(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        _burst(app, *"worth reading", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert seeded.states()[current_id(app)].note == "worth reading"
