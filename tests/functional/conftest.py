"""Fixtures for driving the real reader against a real library in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled

from digestreader.cli.main import main
from digestreader.config import Config
from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.launch import prepare

HOSTILE_TITLES = ["[CLS] Token Pruning", "[/] closing tag first", "[@click=app.quit]x[/]"]


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config leaks in; tests that need one write it here."""
    monkeypatch.setenv("DIGESTREADER_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def seeded(tmp_path: Path) -> Library:
    """A library seeded from the bundled samples, exactly as the reader seeds it."""
    library = Library(tmp_path / "reader-lib")
    prepare(library, [])
    return library


@pytest.fixture
def hostile(tmp_path: Path) -> Library:
    """A library whose papers carry markup-like titles."""
    library = Library(tmp_path / "hostile-lib")
    text = "".join(f"{t}\nAn abstract about {t} and more.\n" for t in HOSTILE_TITLES)
    library.import_digests([("hostile", parse_text(text, "hostile.txt"))])
    return library


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Let the app run until ``condition`` holds; it must within ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the abstracts and index are loaded and every filter worker has reported.

    Exclusive workers are cancelled by newer ones by design; a cancelled one is simply done.
    """
    app = pilot.app
    assert isinstance(app, DigestReaderApp)
    for _ in range(500):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        busy = any(w.is_running for w in app.workers)
        main = app.main_screen
        listing_current = main.is_mounted and main.paper_list.settled
        loaded = app.model.index_ready or not app.model.papers
        if not busy and loaded and (listing_current or not main.is_mounted):
            break
        await pilot.pause(0.01)
    await pilot.pause()


def make_app(library: Library, config: Config | None = None) -> DigestReaderApp:
    """A reader on ``library`` (a fresh ReaderModel, as a restart would make)."""
    return DigestReaderApp(ReaderModel(library), config or Config())


def active_screen(app: DigestReaderApp) -> Screen[Any]:
    """The screen on top, read through a call: after a key press mypy must not assume the
    screen it saw before is still there."""
    return app.screen


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """The CLI on a library in tmp_path, in this process: (exit code, stdout, stderr)."""
    lib = tmp_path / "lib"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--library", str(lib), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
