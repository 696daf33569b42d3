"""Snapshots of what a user sees: main screen at two sizes, no results, help, note editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from digestreader import library as library_module
from digestreader.library import Library
from digestreader.ui.launch import prepare
from tests.functional.conftest import make_app, settle


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The seeded samples with a fixed clock, so "first seen" is the same every day."""
    monkeypatch.setattr(library_module, "now_iso", lambda: "2026-01-01T00:00:00+00:00")
    lib = Library(tmp_path / "snap-lib")
    prepare(lib, [])
    return lib


async def _settle(pilot: Any) -> None:
    await settle(pilot)


def test_main_screen_wide(snap_compare: Any, frozen: Library) -> None:
    assert snap_compare(make_app(frozen), terminal_size=(120, 40), run_before=_settle)


def test_main_screen_80x24(snap_compare: Any, frozen: Library) -> None:
    assert snap_compare(make_app(frozen), terminal_size=(80, 24), run_before=_settle)


def test_filter_with_no_results(snap_compare: Any, frozen: Library) -> None:
    async def type_query(pilot: Any) -> None:
        # The snapshot's autopilot starts before the default screen mounts; a person starts
        # typing at a screen (type-ahead from the terminal is checked in tmux, not here).
        await _settle(pilot)
        await pilot.press("slash", *"xqzzy")
        await _settle(pilot)

    assert snap_compare(make_app(frozen), terminal_size=(120, 40), run_before=type_query)


def test_filter_highlights_matches(snap_compare: Any, frozen: Library) -> None:
    async def type_query(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"lang mod", "enter", "b")
        await _settle(pilot)

    assert snap_compare(make_app(frozen), terminal_size=(120, 40), run_before=type_query)


def test_help_screen(snap_compare: Any, frozen: Library) -> None:
    async def open_help(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(frozen), terminal_size=(120, 40), run_before=open_help)


def test_note_editor(snap_compare: Any, frozen: Library) -> None:
    async def open_note(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("n", *"worth a read")

    assert snap_compare(make_app(frozen), terminal_size=(120, 40), run_before=open_note)


def test_export_dialog(
    snap_compare: Any, frozen: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the suggested path shows as ~/...

    async def open_export(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("b", "j", "b", "e")

    assert snap_compare(make_app(frozen), terminal_size=(80, 24), run_before=open_export)


def test_cursor_row_is_highlighted(snap_compare: Any, frozen: Library) -> None:
    async def move(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("j", "j")
        await _settle(pilot)

    assert snap_compare(make_app(frozen), terminal_size=(80, 24), run_before=move)


def test_detail_view_80x24(snap_compare: Any, frozen: Library) -> None:
    async def zoom(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("j", "n", *"check the proof", "ctrl+s", "z")
        await _settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(frozen), terminal_size=(80, 24), run_before=zoom)


def test_digest_picker(snap_compare: Any, frozen: Library) -> None:
    async def pick(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("d")

    assert snap_compare(make_app(frozen), terminal_size=(80, 24), run_before=pick)
