"""Config mistakes are all reported at start, and the newer of config and session wins (issue 13,
bug 8): the real config file, the real reader."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from digestreader.config import config_path, load_config
from digestreader.library import Library
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.launch import key_space
from tests.functional.conftest import make_app, settle

BAD = """
theme = "no-such-theme"
default_sort = "newest"
mark_read_on_open = "yes"
colour = "red"

[keys]
toggle_mark = "m"
note = "j"
bogus = "x"
toggle_read = ""
export = "s"
"""


def write_config(text: str) -> Path:
    path = config_path()  # $DIGESTREADER_CONFIG, set per test by the functional conftest
    path.write_text(text, encoding="utf-8")
    return path


def notifications(app: DigestReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_every_problem_is_reported_and_only_those_entries_fall_back() -> None:
    write_config(BAD)
    config = load_config(key_space=key_space())
    problems = "\n".join(config.problems)
    for fragment in (
        "default_sort",
        "mark_read_on_open",
        "unknown setting 'colour'",
        "[keys] note = 'j'",
        "cursor_down",
        "unknown binding 'bogus'",
        "[keys] toggle_read",
        "no keys",
        "[keys] export = 's'",
        "cycle_sort",
    ):
        assert fragment in problems, (fragment, problems)
    assert len(config.problems) == 7, config.problems
    assert config.keys == {"toggle_mark": "m"}  # the one good entry is kept
    assert (config.default_sort, config.mark_read_on_open) == ("digest order", False)
    assert config.theme == "no-such-theme"  # a theme is checked by the reader, which knows them


def test_rebinding_a_key_away_first_is_no_collision() -> None:
    write_config('[keys]\ntoggle_mark = "r"\ntoggle_read = "b"\nnote = ["N", "ctrl+n"]\n')
    config = load_config(key_space=key_space())
    assert config.problems == ()
    assert config.keys == {"toggle_mark": "r", "toggle_read": "b", "note": "N,ctrl+n"}


async def test_the_reader_lists_every_problem_in_one_notification(seeded: Library) -> None:
    write_config(BAD)
    app = make_app(seeded, load_config(key_space=key_space()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = [m for m in notifications(app) if "cursor_down" in m]
        assert len(listed) == 1
        assert "Unknown theme 'no-such-theme'" in listed[0]
        assert len(listed[0].splitlines()) == 1 + 8  # a heading, then each problem
        assert app.theme == "textual-dark"
        pid = app.model.papers[0].id
        await pilot.press("m")  # the good override applies
        await settle(pilot)
        assert seeded.get(pid).state.marked
        await pilot.press("n")  # the note keeps its default key
        await settle(pilot)
        assert type(app.screen).__name__ == "NoteScreen"


async def pick_theme(library: Library, theme: str) -> None:
    app = make_app(library, load_config(key_space=key_space()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = theme  # what the palette's theme picker does
        await settle(pilot)
        await pilot.press("q")


async def theme_at_start(library: Library) -> str:
    app = make_app(library, load_config(key_space=key_space()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        theme = app.theme
        await pilot.press("q")
    return theme


@pytest.mark.parametrize("config_is_newer", [True, False])
async def test_the_newer_of_config_and_session_sets_the_theme(
    seeded: Library, config_is_newer: bool
) -> None:
    path = write_config('theme = "nord"\n')
    await pick_theme(seeded, "gruvbox")
    stamp = time.time() + (60 if config_is_newer else -60)
    os.utime(path, (stamp, stamp))
    assert await theme_at_start(seeded) == ("nord" if config_is_newer else "gruvbox")


async def test_a_config_edited_while_the_reader_is_open_applies_at_the_next_start(
    seeded: Library,
) -> None:
    write_config('theme = "nord"\n')
    await pick_theme(seeded, "gruvbox")
    app = make_app(seeded, load_config(key_space=key_space()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        path = write_config('theme = "dracula"\n')
        stamp = time.time() + 1
        os.utime(path, (stamp, stamp))
        await pilot.press("q")  # saves the session after the edit, theme unchanged
    assert await theme_at_start(seeded) == "dracula"
