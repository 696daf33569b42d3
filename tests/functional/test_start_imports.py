"""The reader's start imports only what its first frame draws with.

Everything else (fetching, the import path, exports, the dialogs, the browser) loads when the
user first asks for it: at 50k papers the start was 2.5x a bare Textual app's, and a third of
the difference was importing modules the first frame never used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from digestreader.library import Library
from digestreader.ui.launch import prepare

# The real command line start (`digestreader --library DIR`) on a headless driver, stopped by
# Textual's auto-pilot as soon as the first listing is on screen: the modules loaded by then.
FIRST_FRAME = """
import sys
from textual.app import App

from digestreader.cli.main import main

run = App.run


async def first_frame(pilot):
    screen = pilot.app.screen
    while not screen.is_mounted or screen.listing is None:
        await pilot.pause(0.005)
    loaded = sorted(sys.modules)
    pilot.app.exit()
    with open(sys.argv[2], "w") as out:
        out.write("\\n".join(loaded))


App.run = lambda app: run(app, headless=True, size=(120, 40), auto_pilot=first_frame)
sys.exit(main(["--library", sys.argv[1]]))
"""

NOT_AT_START = {
    "digestreader.ingest.fetch",  # F: its HTTP client
    "digestreader.ingest.service",  # F and i: the import path
    "digestreader.ingest.sources",
    "digestreader.ingest.hf",
    "digestreader.ingest.parser",
    "digestreader.ui.screens.help",
    "digestreader.ui.screens.export",
    "digestreader.ui.screens.importing",
    "digestreader.ui.screens.confirm",
    "digestreader.ui.screens.note",
    "digestreader.ui.screens.digests",
    "digestreader.export.bibtex",
    "digestreader.export.jsonio",
    "digestreader.export.tabular",
    "digestreader.export.text",
    "http.client",
    "webbrowser",
}


def test_the_first_frame_imports_no_dialog_fetch_import_or_export(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    prepare(Library(root), [])  # the bundled samples, as a first start seeds them
    modules = tmp_path / "modules.txt"
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "DIGESTREADER_CONFIG": str(tmp_path / "config.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(root), str(modules)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(modules.read_text().split())
    assert "digestreader.ui.widgets.paper_list" in loaded  # it did reach the first frame
    assert not NOT_AT_START & loaded, sorted(NOT_AT_START & loaded)
