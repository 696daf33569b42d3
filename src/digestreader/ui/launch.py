"""Start the reader on a library: import the given files, seed an empty library, run the app."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.binding import Binding

from digestreader.assets import sample_paths
from digestreader.config import KeySpace, load_config
from digestreader.library import Library, LibraryError
from digestreader.reader.model import ReaderModel

if TYPE_CHECKING:
    from textual.app import App


def prepare(library: Library, files: list[str]) -> list[str]:
    """Import ``files`` (or the bundled samples into an empty library); returns notices."""
    notices: list[str] = []
    # The reader writes its session anyway: migrate an older library now, so the notice shows
    # at start. If it cannot (locked, read-only), the library still reads as it is.
    try:
        library.upgrade()  # its notice joins library.notices, shown with the others
    except LibraryError as err:
        notices.append(f"This library was not upgraded to 16-digit ids: {err}")
    # The import path (parsers, merging) loads only when there is something to import.
    if files:
        from digestreader.ingest.service import import_summary, ingest
        from digestreader.ingest.sources import load_inputs

        report = ingest(library, load_inputs(files))
        notices.append(f"Imported {import_summary(report.imported)}")
        if report.restored is not None:
            notices.append(f"Restored marks and notes of {report.restored.restored} papers")
        notices.extend(report.warnings)
    if not library.first_frame_catalog().docs:
        from digestreader.ingest.service import ingest_digests
        from digestreader.ingest.sources import parse_sources

        samples = [str(p) for p in sample_paths()]
        report = ingest_digests(library, parse_sources(samples))
        notices.append(
            f"Your library was empty, so it now holds the {len(samples)} bundled sample digests "
            f"({report.imported.new} papers). Add your own with: digestreader import FILE"
        )
        notices.extend(report.warnings)
    return [n[0].upper() + n[1:] for n in library.notices] + notices


def exit_code(app: App[None]) -> int:
    """The process exit code after the reader ran: 1 when it ended on an uncaught exception
    (Textual then sets a non-zero return code), else 0."""
    return 0 if not app.return_code else 1


def key_space() -> KeySpace:
    """The reader's bindings for the config check: every rebindable id with its default keys
    (the main screen's and the app's), and the list's own keys, which no config rebinds."""
    from digestreader.ui.app import DigestReaderApp
    from digestreader.ui.keys import MAIN_BINDINGS
    from digestreader.ui.widgets.paper_list import PaperList

    bindings = [*MAIN_BINDINGS, *DigestReaderApp.BINDINGS]
    defaults = {b.id: b.key for b in bindings if isinstance(b, Binding) and b.id}
    fixed = {
        key.strip(): b.action
        for b in PaperList.BINDINGS
        if isinstance(b, Binding)
        for key in b.key.split(",")
    }
    return KeySpace(defaults, fixed)


def run_reader(library: Library, files: list[str]) -> int:
    """Open the reader; returns the exit code."""
    from digestreader.ui.app import DigestReaderApp

    notices = prepare(library, files)
    # Each session starts with a way back: the app takes it after its first frame, before any
    # write of the session (see Library.begin_session).
    app = DigestReaderApp(
        ReaderModel(library, states_later=True), load_config(key_space=key_space()), notices
    )
    # What the start made lives as long as the reader: out of the cyclic collector's sight, it
    # cannot set off a full collection over itself before the first frame.
    gc.freeze()
    app.run()
    if app.model.catalog_problem:
        # A catalog document of the wrong shape, met after the first frame: the reader ended
        # (nothing written) and says so as for a bad catalog at start, one line and exit 1.
        raise LibraryError(app.model.catalog_problem)
    return exit_code(app)
