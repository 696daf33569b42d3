"""The reader's export dialog and BibTeX copy, through Textual's Pilot on a real library."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
from textual.widgets import Input, Label, RadioButton, RadioSet

from digestreader.library import Library
from digestreader.reader.listing import ListingSpec
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.export import ExportScreen
from digestreader.ui.screens.main import MainScreen
from tests.functional.conftest import make_app, settle


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dialog suggests files in the home folder: make it a fresh one."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def dialog(app: DigestReaderApp) -> ExportScreen:
    assert isinstance(app.screen, ExportScreen), type(app.screen)
    return app.screen


def choice_labels(screen: ExportScreen, radio_set: str) -> dict[str, str]:
    buttons = screen.query_one(radio_set, RadioSet).query(RadioButton)
    return {str(b.name): str(b.label) for b in buttons}


def message(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-message", Label).render())


async def test_export_dialog_writes_the_marked_papers(seeded: Library, home: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b", "j", "j", "b", "e")
        screen = dialog(app)
        scopes = choice_labels(screen, "#export-scope")
        assert scopes == {"marked": "Marked (2)", "shown": "Shown (561)", "all": "All (561)"}
        path_input = screen.query_one("#export-path", Input)
        assert path_input.value == "~/digestreader-marked.bib"
        # Format column has focus: move to CSV and choose it; the suggested name follows.
        await pilot.press("down", "down", "enter")
        assert path_input.value == "~/digestreader-marked.csv"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        rows = list(csv.DictReader((home / "digestreader-marked.csv").open(encoding="utf-8-sig")))
        marked = {pid for pid, s in seeded.states().items() if s.marked}
        assert {r["id"] for r in rows} == marked
        assert len(rows) == 2
        notes = [n.message for n in app._notifications]
        assert any(f"Exported 2 papers to {home / 'digestreader-marked.csv'}" in m for m in notes)
        # The next dialog starts on the format used last.
        await pilot.press("e")
        assert dialog(app).query_one("#export-path", Input).value.endswith(".csv")


async def test_export_dialog_shows_errors_and_keeps_the_choice(
    seeded: Library, tmp_path: Path
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sinkhorn", "enter")
        await settle(pilot)
        shown = len(app.model.compute(replace(main_spec(app), query="sinkhorn")).order)
        await pilot.press("e")
        screen = dialog(app)
        # Nothing is marked, so the dialog offers what is shown.
        assert screen.scope == "shown"
        assert choice_labels(screen, "#export-scope")["shown"] == f"Shown ({shown})"
        path_input = screen.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "missing" / "out.bib")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog(app) is screen
        assert "does not exist" in message(screen)
        # Choosing the empty "marked" scope is refused in the dialog, not written.
        await pilot.press("tab")  # from the format choice to the scope choice
        assert app.focused is screen.query_one("#export-scope", RadioSet)
        await pilot.press("up", "enter", "ctrl+s")
        assert "No marked papers" in message(screen)
        assert path_input.value == str(tmp_path / "missing" / "out.bib")  # typed path is kept
        await pilot.press("down", "enter")
        await pilot.press("tab", "ctrl+u", *str(tmp_path / "shown.bib"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        entries = bibtexparser.parse_string((tmp_path / "shown.bib").read_text()).entries
        assert len(entries) == shown
        assert all("sinkhorn" in str(e).casefold() for e in entries)


async def test_escape_cancels_and_existing_files_are_flagged(seeded: Library, home: Path) -> None:
    (home / "digestreader-shown.bib").write_text("old")
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert "exists" in message(dialog(app))
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert (home / "digestreader-shown.bib").read_text() == "old"


async def test_shift_y_copies_the_bibtex_entry(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("Y")
        entries = bibtexparser.parse_string(app.clipboard).entries
        assert len(entries) == 1
        first = app.model.papers[0]
        assert entries[0]["title"] == first.title
        assert entries[0].key.endswith("_" + first.id[:8])


def main_spec(app: DigestReaderApp) -> ListingSpec:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen.spec


async def test_the_arrows_choose_the_format_as_the_dialog_says(seeded: Library, home: Path) -> None:
    # "arrows choose": a user moved to CSV with the arrows, tabbed to the file name and pressed
    # enter, and got BibTeX in a .csv file (the arrows only moved the highlight).
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b", "e", "down", "down", "tab", "tab")
        screen = dialog(app)
        path_input = screen.query_one("#export-path", Input)
        assert screen.focused is path_input
        assert path_input.value == "~/digestreader-marked.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        text = (home / "digestreader-marked.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(text.splitlines()))
        assert len(rows) == 1
        assert not text.startswith("@")
