"""Help and the palette list this app's actions once each; dialogs show their own keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from digestreader.library import Library
from digestreader.ui.keys import MAIN_BINDINGS, NAVIGATION_KEYS
from digestreader.ui.widgets.footer import LateFooter
from tests.functional.conftest import make_app, settle, wait_for


async def test_the_palette_lists_each_action_once_with_a_description(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.main_screen))
        titles = [c.title for c in commands]
        assert len(titles) == len(set(titles)), titles
        assert "Theme" in titles
        for generic in ("Screenshot", "Keys", "Maximize", "Minimize"):
            assert generic not in titles
        helps = " ".join(c.help for c in commands)
        for binding in MAIN_BINDINGS:
            assert binding.tooltip, binding.action
            assert binding.tooltip in helps
        mark = next(c for c in commands if c.title == "Mark")
        assert "b" in mark.help
        assert "space" in mark.help


async def test_help_lists_each_action_once_with_all_its_keys(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = app.key_rows()
        texts = [text for _key, text in rows]
        assert len(texts) == len(set(texts)), texts
        keys = {text: key for key, text in rows}
        mark = next(key for text, key in keys.items() if "Mark or unmark" in text)
        assert "b" in mark
        assert "space" in mark


async def test_a_dialog_shows_its_own_keys_in_the_footer(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, expected in (("n", "ctrl+s"), ("d", "escape"), ("question_mark", "escape")):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not app.main_screen
            assert app.screen.query(Footer), key
            shown = {k for k, b in app.screen.active_bindings.items() if b.binding.show}
            assert expected in shown, (key, shown)
            assert "toggle_mark" not in {
                b.binding.action for b in app.screen.active_bindings.values()
            }
            await pilot.press("escape")
            await pilot.pause()


class _OneKey(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield LateFooter()


def _descriptions(footer: Footer) -> set[str]:
    return {str(getattr(key, "description", "")) for key in footer.children}


async def test_a_late_footer_shows_no_key_until_asked_then_every_key() -> None:
    # Textual's footer rebuilt its keys several times while the reader started, before the
    # first titles were drawn; this one waits for the first frame.
    app = _OneKey()
    async with app.run_test(size=(80, 10)) as pilot:
        footer = app.query_one(LateFooter)
        for _ in range(5):
            await pilot.pause(0.02)
            assert not footer.children
        footer.show_keys()
        await wait_for(pilot, lambda: "Ring" in _descriptions(footer))


async def test_the_main_screen_footer_shows_the_keys_once_the_list_is_on_screen(
    seeded: Library,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.main_screen.query_one(LateFooter)
        await wait_for(pilot, lambda: {"Help", "Quit"} <= _descriptions(footer))
        await pilot.press("question_mark")  # a dialog, and back: the keys are still there
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: {"Help", "Quit"} <= _descriptions(footer))


async def test_help_lists_each_key_once(seeded: Library) -> None:
    # Textual 8 gave its ctrl+p binding a tooltip, so help listed it as one of ours and then
    # again as the palette row: "^p  Open the command palette" and "ctrl+p  command palette".
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The navigation rows say what space and enter do where; the bound keys follow them.
        bound = app.key_rows()[len(NAVIGATION_KEYS) :]
        keys = [
            app.get_key_display(Binding(key, "")) if len(key) > 1 else key
            for cell, _text in bound
            for key in cell.split(" / ")
        ]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        palette = [text for _key, text in app.key_rows() if "palette" in text]
        assert len(palette) == 1, palette


async def test_at_80_columns_the_footer_shows_help_quit_and_filter_whole(seeded: Library) -> None:
    # The footer shows the keys that fit, in order; at 80x24 ? and q (the app's keys, after
    # the screen's) were cut: a new user saw no way to get help or to quit.
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.main_screen.query_one(LateFooter)
        await wait_for(pilot, lambda: "Filter" in _descriptions(footer))
        await pilot.pause()
        keys = list(footer.children)
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette]
        visible = {getattr(k, "action", "") for k in shown if k.region.right <= palette.region.x}
        assert {"help", "quit", "focus_filter", "export"} <= visible, visible
        cut = [getattr(k, "action", "") for k in shown if k.region.right > palette.region.x]
        assert not cut, cut  # no key cut off mid-word either
