"""The reader's start does only what its first frame needs.

It imports only what the first frame draws with: fetching, the import path, exports, the
dialogs and the browser load when the user first asks for them. And it runs without the cyclic
collector until the first frame is out: at 50k papers the start was 2.5x a bare Textual app's,
and a third of the difference was importing modules the first frame never used, another
50-70 ms of CPU the collector's passes over what the imports allocate (which all lives on).
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.ui.launch import prepare

# The real command line start (`digestreader --library DIR`) on a headless driver, driven by
# Textual's auto-pilot: what is loaded and collected once the first listing is on screen.
FIRST_FRAME = """
import gc
import sys

import orjson
from textual.app import App

from digestreader.cli.main import main

run = App.run
seen = {}


def collections():
    return sum(generation["collections"] for generation in gc.get_stats())


async def first_frame(pilot):
    screen = pilot.app.screen
    while not screen.is_mounted or screen.listing is None:
        await pilot.pause(0.005)
    seen["modules"] = sorted(sys.modules)
    await pilot.pause(0.3)
    seen["collector_on_after"] = gc.isenabled()
    pilot.app.exit()


def headless(app):
    seen["collections_before_the_app_ran"] = collections() - at_start
    return run(app, headless=True, size=(120, 40), auto_pilot=first_frame)


App.run = headless
gc.collect()  # from an empty youngest generation: the count below is the start's alone
at_start = collections()
code = main(["--library", sys.argv[1]])
with open(sys.argv[2], "wb") as out:
    out.write(orjson.dumps(seen))
sys.exit(code)
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
    # The list a first frame shows (every paper, digest order) is a range: the search side
    # (numpy, the engine, rapidfuzz) loads with the first filter or the index's worker.
    "numpy",
    "rapidfuzz",
    "digestreader.search.engine",
    "digestreader.reader.orders",
    "filelock",  # no lock is taken before the first frame (7-15 ms with its logging, decimal)
    "secrets",  # and no file written: temp names and backup names are made when writing
    "hmac",
    "tinydb",  # files are read without it: it opens only to write (1.7 ms)
    "digestreader.store.migration",  # only an older library needs it
    "digestreader.store.backups",  # the session's backup is taken after the first frame
}


def first_frame(tmp_path: Path) -> dict[str, Any]:
    """Start the reader on a library of the bundled samples; what ``FIRST_FRAME`` saw."""
    root = tmp_path / "lib"
    prepare(Library(root), [])  # the bundled samples, as a first start seeds them
    seen = tmp_path / "seen.json"
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "DIGESTREADER_CONFIG": str(tmp_path / "config.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(root), str(seen)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = orjson.loads(seen.read_bytes())
    return result


def test_the_first_frame_imports_no_dialog_fetch_import_or_export(tmp_path: Path) -> None:
    loaded = set(first_frame(tmp_path)["modules"])
    assert "digestreader.ui.widgets.paper_list" in loaded  # it did reach the first frame
    assert not NOT_AT_START & loaded, sorted(NOT_AT_START & loaded)


def test_the_collector_waits_for_the_first_frame_then_runs_again(tmp_path: Path) -> None:
    seen = first_frame(tmp_path)
    assert seen["collections_before_the_app_ran"] == 0  # imports, library, model, app
    assert seen["collector_on_after"]


def test_a_reader_that_cannot_open_its_library_leaves_the_collector_on(tmp_path: Path) -> None:
    # The start turns the collector off before the first frame; a start that ends before it
    # (here a catalog that is not JSON) must not leave a process (a test, an embedding) without.
    root = tmp_path / "lib"
    prepare(Library(root), [])
    (root / "corpus.json").write_text("{not json")
    assert gc.isenabled()
    assert main(["--library", str(root)]) == 1
    assert gc.isenabled()
