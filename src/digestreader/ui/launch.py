"""Start the reader on a library: import the given files, seed an empty library, run the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digestreader.assets import sample_paths
from digestreader.config import load_config
from digestreader.ingest.indexing import update_index
from digestreader.ingest.sources import load_inputs, parse_sources
from digestreader.library import Library, LibraryError
from digestreader.reader.model import ReaderModel
from digestreader.store.documents import ImportResult

if TYPE_CHECKING:
    from textual.app import App


def prepare(library: Library, files: list[str]) -> list[str]:
    """Import ``files`` (or the bundled samples into an empty library); returns notices."""
    notices: list[str] = []
    writes: list[ImportResult | None] = []  # each corpus write: an import, or None (a restore)
    if files:
        inputs = load_inputs(files)
        result = library.import_digests(inputs.digests)
        if result.changed:
            writes.append(result)
        notices.append(f"Imported: {result.new} new, {result.updated} updated papers")
        notices.extend(result.warnings)
        if inputs.exports:
            restored = library.restore(inputs.exports)
            if restored.updated:
                writes.append(None)
            notices.append(f"Restored marks and notes of {restored.restored} papers")
    if not library.catalog().docs:
        samples = [str(p) for p in sample_paths()]
        result = library.import_digests(parse_sources(samples))
        writes.append(result)
        notices.append(
            f"Your library was empty, so it now holds the {len(samples)} bundled sample digests "
            f"({result.new} papers). Add your own with: digestreader import FILE"
        )
    # Only a lone import can extend the saved index; anything more is indexed from scratch.
    if writes and (problem := update_index(library, writes[0] if len(writes) == 1 else None)):
        notices.append(problem)
    return library.notices + notices


def exit_code(app: App[None]) -> int:
    """The process exit code after the reader ran: 1 when it ended on an uncaught exception
    (Textual then sets a non-zero return code), else 0."""
    return 0 if not app.return_code else 1


def run_reader(library: Library, files: list[str]) -> int:
    """Open the reader; returns the exit code."""
    from digestreader.ui.app import DigestReaderApp

    notices = prepare(library, files)
    try:
        library.backup()  # each session starts with a way back (unchanged state: no new copy)
    except LibraryError as err:
        notices.append(f"No backup taken: {err}")
    config, problem = load_config()
    if problem:
        notices.insert(0, problem)
    app = DigestReaderApp(ReaderModel(library), config, notices)
    app.run()
    return exit_code(app)
