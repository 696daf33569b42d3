"""Start the reader on a library: import the given files, seed an empty library, run the app."""

from __future__ import annotations

from textual.binding import Binding

from digestreader.assets import sample_paths
from digestreader.config import KeySpace, load_config
from digestreader.ingest.service import import_summary, ingest, ingest_digests
from digestreader.ingest.sources import load_inputs, parse_sources
from digestreader.library import Library, LibraryError
from digestreader.reader.model import ReaderModel


def prepare(library: Library, files: list[str]) -> list[str]:
    """Import ``files`` (or the bundled samples into an empty library); returns notices."""
    notices: list[str] = []
    # The reader writes its session anyway: migrate an older library now, so the notice shows
    # at start. If it cannot (locked, read-only), the library still reads as it is.
    try:
        upgraded = library.upgrade()
    except LibraryError as err:
        notices.append(f"This library was not upgraded to 16-digit ids: {err}")
    else:
        if upgraded:
            notices.append(upgraded[0].upper() + upgraded[1:])
    if files:
        report = ingest(library, load_inputs(files))
        notices.append(f"Imported {import_summary(report.imported)}")
        if report.restored is not None:
            notices.append(f"Restored marks and notes of {report.restored.restored} papers")
        notices.extend(report.warnings)
    if not library.catalog().docs:
        samples = [str(p) for p in sample_paths()]
        report = ingest_digests(library, parse_sources(samples))
        notices.append(
            f"Your library was empty, so it now holds the {len(samples)} bundled sample digests "
            f"({report.imported.new} papers). Add your own with: digestreader import FILE"
        )
        notices.extend(report.warnings)
    return notices


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
    app = DigestReaderApp(ReaderModel(library), load_config(key_space=key_space()), notices)
    app.run()
    return app.return_code or 0  # 1 when the app ended on an error
