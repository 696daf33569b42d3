"""The reader on a library written by the last release before 16-digit keys."""

from __future__ import annotations

import shutil
from pathlib import Path

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.launch import prepare
from digestreader.ui.screens.main import MainScreen
from digestreader.ui.widgets.detail import DetailPane
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import settle

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "library-v2"


async def test_the_reader_upgrades_an_old_library_says_so_once_and_keeps_its_place(
    tmp_path: Path,
) -> None:
    library = Library(tmp_path / "lib")
    shutil.copytree(FIXTURE, library.root)
    notices = prepare(library, [])
    assert len(notices) == 1
    assert "cannot be split back" in notices[0]
    assert prepare(Library(library.root), []) == []  # once
    app = DigestReaderApp(ReaderModel(Library(library.root)), Config(), notices)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == notices
        screen = app.screen
        assert isinstance(screen, MainScreen)
        current = screen.query_one(PaperList).current
        assert current is not None
        paper = app.model.papers[current]
        assert paper.id.startswith("92f2ba5c")  # the session's paper, saved under its old id
        screen.show_detail(current)
        await pilot.pause()
        body = str(screen.query_one(DetailPane).query_one("#detail-body").render())
        assert "92f2ba5c " in body
        assert paper.id not in body  # the handle, not the whole key
